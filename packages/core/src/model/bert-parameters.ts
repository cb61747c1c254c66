import type { BertConfig } from '../config/bert-config.js';
import type { HostTensor } from '../weights/named-tensor.js';
import { SeededRng } from '../random/seeded-rng.js';

/**
 * Every parameter of a BERT encoder under its canonical Hugging Face name (BertModel's names,
 * without the `bert.` prefix), with its shape. Checkpoint loading, random initialisation and
 * the encoder all read this one list.
 */
export function bertParameterShapes(config: BertConfig): Map<string, number[]> {
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
  shapes.set('embeddings.position_embeddings.weight', [config.max_position_embeddings, H]);
  shapes.set('embeddings.token_type_embeddings.weight', [config.type_vocab_size, H]);
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
  linear('pooler.dense', H, H);
  return shapes;
}

/**
 * Random weights the way Hugging Face's `BertPreTrainedModel._init_weights` makes them: linear
 * and embedding weights N(0, initializer_range), biases 0, LayerNorm 1/0, the padding row of the
 * word embeddings 0. Made with our seeded PRNG so `init --seed` is reproducible anywhere.
 */
export function initBertParameters(config: BertConfig, seed: number): Map<string, HostTensor> {
  const rng = new SeededRng(seed);
  const out = new Map<string, HostTensor>();
  for (const [name, shape] of bertParameterShapes(config)) {
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

/** Number of scalars in a parameter list. */
export function countParameters(shapes: Iterable<number[]>): number {
  let total = 0;
  for (const shape of shapes) total += shape.reduce((a, b) => a * b, 1);
  return total;
}
