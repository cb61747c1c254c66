import type { BertConfig } from '../config/bert-config.js';
import type { HostTensor } from '../weights/named-tensor.js';
import { SeededRng } from '../random/seeded-rng.js';

/** The pooler's parameters (canonical names). A checkpoint without them gets a new pooler. */
export const POOLER_WEIGHT = 'pooler.dense.weight';
export const POOLER_BIAS = 'pooler.dense.bias';
export const POOLER_PARAMETERS: readonly string[] = [POOLER_WEIGHT, POOLER_BIAS];

/**
 * Every parameter of a BERT encoder under its canonical Hugging Face name (BertModel's names,
 * without the `bert.` prefix), with its shape. Checkpoint loading, random initialisation and
 * the encoder all read this one list.
 */
export function bertParameterShapes(config: BertConfig, opts: { pooler?: boolean; tokenTypes?: boolean; positions?: boolean } = {}): Map<string, number[]> {
  const H = config.hidden_size;
  const I = config.intermediate_size;
  const shapes = new Map<string, number[]>();
  const linear = (name: string, out: number, inp: number) => {
    shapes.set(`${name}.weight`, [out, inp]);
    shapes.set(`${name}.bias`, [out]);
  };
  const norm = (name: string) => {
    shapes.set(`${name}.weight`, [H]);
    shapes.set(`${name}.bias`, [H]);
  };
  shapes.set('embeddings.word_embeddings.weight', [config.vocab_size, H]);
  // DistilBERT has no token types, and with sinusoidal positions no trained position table.
  if (opts.positions ?? true) shapes.set('embeddings.position_embeddings.weight', [config.max_position_embeddings, H]);
  if (opts.tokenTypes ?? true) shapes.set('embeddings.token_type_embeddings.weight', [config.type_vocab_size, H]);
  norm('embeddings.LayerNorm');
  for (let l = 0; l < config.num_hidden_layers; l++) {
    const p = `encoder.layer.${l}`;
    linear(`${p}.attention.self.query`, H, H);
    linear(`${p}.attention.self.key`, H, H);
    linear(`${p}.attention.self.value`, H, H);
    linear(`${p}.attention.output.dense`, H, H);
    norm(`${p}.attention.output.LayerNorm`);
    linear(`${p}.intermediate.dense`, I, H);
    linear(`${p}.output.dense`, H, I);
    norm(`${p}.output.LayerNorm`);
  }
  // Optional: masked-LM checkpoints (BertForMaskedLM) and DistilBERT have none.
  if (opts.pooler ?? true) linear('pooler.dense', H, H);
  return shapes;
}

/**
 * Random weights the way Hugging Face's `BertPreTrainedModel._init_weights` makes them: linear
 * and embedding weights N(0, initializer_range), biases 0, LayerNorm 1/0, the padding row of the
 * word embeddings 0. Made with our seeded PRNG so `init --seed` is reproducible anywhere.
 */
export function initBertParameters(
  config: BertConfig,
  seed: number,
  shapes: Map<string, number[]> = bertParameterShapes(config),
): Map<string, HostTensor> {
  const rng = new SeededRng(seed);
  const out = new Map<string, HostTensor>();
  for (const [name, shape] of shapes) {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (name.includes('LayerNorm')) {
      if (name.endsWith('.weight')) data.fill(1);
    } else if (name.endsWith('.weight')) {
      rng.fillNormal(data, 0, config.initializer_range);
    }
    if (name === 'embeddings.word_embeddings.weight') {
      const H = shape[1];
      data.fill(0, config.pad_token_id * H, (config.pad_token_id + 1) * H);
    }
    out.set(name, { dtype: 'float32', shape, data });
  }
  return out;
}

/**
 * A new pooler for a checkpoint that has none (BertForMaskedLM, DistilBERT), initialised as
 * Hugging Face's `_init_weights` does: weight N(0, initializer_range), bias 0. Seeded, so the
 * same seed gives the same pooler on every backend.
 */
export function initPoolerParameters(config: BertConfig, seed: number): Map<string, HostTensor> {
  const H = config.hidden_size;
  const shapes = new Map<string, number[]>([[POOLER_WEIGHT, [H, H]], [POOLER_BIAS, [H]]]);
  return initBertParameters(config, seed, shapes);
}

/** Number of scalars in a parameter list. */
export function countParameters(shapes: Iterable<number[]>): number {
  let total = 0;
  for (const shape of shapes) total += shape.reduce((a, b) => a * b, 1);
  return total;
}
