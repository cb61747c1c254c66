import * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../config/bert-config.js';
import { inputError } from '../errors.js';
import { SeededRng } from '../random/seeded-rng.js';
import type { HostTensor } from '../weights/named-tensor.js';
import { activation, dense, layerNorm } from './layers.js';
import type { VariableMap } from './types.js';

/** The canonical names of the head's own parameters (Hugging Face `BertOnlyMLMHead`). */
export const MLM_TRANSFORM_WEIGHT = 'cls.predictions.transform.dense.weight';
export const MLM_TRANSFORM_BIAS = 'cls.predictions.transform.dense.bias';
export const MLM_NORM_WEIGHT = 'cls.predictions.transform.LayerNorm.weight';
export const MLM_NORM_BIAS = 'cls.predictions.transform.LayerNorm.bias';
/** The decoder's bias, one per vocabulary entry (HF shares it with `cls.predictions.decoder.bias`). */
export const MLM_BIAS = 'cls.predictions.bias';

/**
 * Every parameter of the head with its shape. The decoder weight is not one: it is the encoder's
 * `embeddings.word_embeddings.weight` (tied, as in Hugging Face).
 */
export function maskedLmHeadShapes(config: BertConfig): Map<string, number[]> {
  const H = config.hidden_size;
  return new Map([
    [MLM_TRANSFORM_WEIGHT, [H, H]],
    [MLM_TRANSFORM_BIAS, [H]],
    [MLM_NORM_WEIGHT, [H]],
    [MLM_NORM_BIAS, [H]],
    [MLM_BIAS, [config.vocab_size]],
  ]);
}

/**
 * A new head as Hugging Face's `_init_weights` makes it: the dense weight N(0, initializer_range),
 * biases 0, LayerNorm 1/0; seeded, so the same seed gives the same head on every backend.
 */
export function initMaskedLmHead(config: BertConfig, seed: number): Map<string, HostTensor> {
  const rng = new SeededRng(seed);
  const out = new Map<string, HostTensor>();
  for (const [name, shape] of maskedLmHeadShapes(config)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (name === MLM_TRANSFORM_WEIGHT) rng.fillNormal(data, 0, config.initializer_range);
    else if (name === MLM_NORM_WEIGHT) data.fill(1);
    out.set(name, { dtype: 'float32', shape, data });
  }
  return out;
}

/**
 * Hugging Face's `BertOnlyMLMHead`: dense (H→H) → hidden_act → LayerNorm, then the decoder
 * `x · Eᵀ + bias` with E the encoder's word-embedding variable itself, so a training step
 * updates one tensor from both of its uses. The head has no dropout (HF's has none either).
 */
export class MaskedLmHead {
  private readonly params: VariableMap = new Map();

  /**
   * @param weights every name of `maskedLmHeadShapes(config)` with that shape
   * @param wordEmbeddings the encoder's `embeddings.word_embeddings.weight` [V, H]; not owned
   */
  constructor(
    readonly config: BertConfig,
    weights: Map<string, HostTensor>,
    private readonly wordEmbeddings: tf.Variable,
    opts: { trainable?: boolean } = {},
  ) {
    const V = config.vocab_size;
    const H = config.hidden_size;
    if (wordEmbeddings.shape.join() !== [V, H].join()) {
      throw new Error(`MaskedLmHead: the word embeddings must be [${V}, ${H}], got [${wordEmbeddings.shape}]`);
    }
    for (const [name, shape] of maskedLmHeadShapes(config)) {
      const w = weights.get(name);
      if (!w) throw inputError('missing parameter', { field: name, fix: 'load the head with loadMaskedLm, or initialise it with initMaskedLmHead' });
      if (w.shape.join() !== shape.join()) throw inputError(`expected shape [${shape}], found [${w.shape}]`, { field: name });
      const initial = tf.tensor(w.data, w.shape, 'float32');
      this.params.set(name, tf.variable(initial, opts.trainable ?? true));
      initial.dispose();
    }
  }

  /** dense → activation → LayerNorm of hidden states [N, H] (HF's `transform` output). */
  transform(hidden: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const p = (name: string) => this.params.get(name)!;
      const h = activation(dense(hidden, p(MLM_TRANSFORM_WEIGHT), p(MLM_TRANSFORM_BIAS)), this.config.hidden_act);
      return layerNorm(h, p(MLM_NORM_WEIGHT), p(MLM_NORM_BIAS), this.config.layer_norm_eps);
    });
  }

  /** Vocabulary logits [N, V] of hidden states [N, H]. */
  logits(hidden: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.add(tf.matMul(this.transform(hidden), this.wordEmbeddings, false, true), this.params.get(MLM_BIAS)!) as tf.Tensor2D);
  }

  /** The head's own parameters under their `cls.predictions.*` names (not the tied decoder). */
  variables(): VariableMap {
    return this.params;
  }

  /** Frees the head's own variables; the word embeddings belong to the encoder. */
  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
  }
}
