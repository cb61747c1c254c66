import * as tf from '@tensorflow/tfjs-core';
import './gradients.js';
import type { BertConfig } from '../config/bert-config.js';
import { inputError } from '../errors.js';
import type { HostTensor } from '../weights/named-tensor.js';
import { bertParameterShapes, POOLER_BIAS, POOLER_WEIGHT } from './bert-parameters.js';
import { activation, dense, dropout, layerNorm } from './layers.js';
import type { Batch, Encoder, EncoderOutput, ForwardOptions, VariableMap } from './types.js';

/**
 * Added to the attention scores of padding keys. Large enough that exp() underflows to exactly
 * 0 in float32, small enough to stay finite in float16 (WebGL's half-precision textures).
 * Exported so graphs built for other runtimes (the bench's onnxruntime reference) mask alike.
 */
export const MASK_PENALTY = -1e4;

/** What an encoder family's embedding step gets: the batch, its shape and the parameters. */
export interface EmbedContext {
  batch: Batch;
  B: number;
  T: number;
  config: BertConfig;
  /** A parameter (or fixed table) by canonical name. */
  param(name: string): tf.Tensor;
}

/**
 * What differs between the encoder families (BERT, RoBERTa, DistilBERT) in the forward pass.
 * Everything else — the embedding LayerNorm, the transformer layers, the pooler — is one shared
 * implementation in `TransformerEncoder`, so a fix there holds for every family.
 */
export interface EncoderVariant {
  /** Canonical parameter names and shapes (see `bertParameterShapes`); the pooler only when `pooler`. */
  parameterShapes(config: BertConfig, opts: { pooler: boolean }): Map<string, number[]>;
  /** The summed input embeddings [B*T, H], before the embedding LayerNorm. */
  embed(ctx: EmbedContext): tf.Tensor2D;
  /** The longest input the position table covers (RoBERTa's positions start after the pad id). */
  maxTokens(config: BertConfig): number;
  /** Dropout after the attention output projection: BERT and RoBERTa have it, DistilBERT does not. */
  attentionOutputDropout: boolean;
  /** Fixed tables that are not trained (DistilBERT's sinusoidal positions), by canonical name. */
  constants?(config: BertConfig): Map<string, HostTensor>;
}

/** BERT's embeddings: word + token type + position (0..T-1). */
export const BERT_VARIANT: EncoderVariant = {
  parameterShapes: (config, opts) => bertParameterShapes(config, opts),
  embed({ batch, B, T, config, param }) {
    const H = config.hidden_size;
    const words = tf.gather(param('embeddings.word_embeddings.weight'), tf.reshape(batch.inputIds, [B * T]));
    const types = tf.gather(param('embeddings.token_type_embeddings.weight'), tf.reshape(batch.tokenTypeIds, [B * T]));
    const positions = tf.slice(param('embeddings.position_embeddings.weight'), [0, 0], [T, H]);
    return tf.reshape(tf.add(tf.reshape(tf.add(words, types), [B, T, H]), positions), [B * T, H]) as tf.Tensor2D;
  },
  maxTokens: (config) => config.max_position_embeddings,
  attentionOutputDropout: true,
};

/**
 * A BERT-shaped encoder on tfjs-core ops: a family's embeddings (`EncoderVariant`), then the
 * shared transformer layers and the (optional) pooler. Parameters live under canonical names
 * (Hugging Face `BertModel`'s, without the `bert.` prefix) whatever the family, so heads,
 * trainer and checkpoints stay family-agnostic; the families map their checkpoint names onto
 * them. `forward` returns every hidden state so the heads can pool over layers.
 */
export class TransformerEncoder implements Encoder {
  private readonly params: VariableMap = new Map();
  private readonly fixed = new Map<string, tf.Tensor>();
  private readonly headSize: number;
  /** False when the model was built without a pooler (`pool` then throws). */
  readonly hasPooler: boolean;

  /**
   * `weights` must hold every name of `variant.parameterShapes(config, { pooler })` with that
   * shape; `pooler: false` builds a model with no pooler at all.
   */
  constructor(
    readonly variant: EncoderVariant,
    readonly config: BertConfig,
    weights: Map<string, HostTensor>,
    opts: { trainable?: boolean; pooler?: boolean } = {},
  ) {
    this.headSize = config.hidden_size / config.num_attention_heads;
    this.hasPooler = opts.pooler ?? true;
    for (const [name, shape] of variant.parameterShapes(config, { pooler: this.hasPooler })) {
      const w = weights.get(name);
      if (!w) throw inputError('missing parameter', { field: name, fix: 'load the weights with loadBertWeights, which checks them' });
      if (w.shape.join() !== shape.join()) {
        throw inputError(`expected shape [${shape}], found [${w.shape}]`, { field: name });
      }
      // The variable takes over the tensor's data; disposing the tensor keeps counts exact.
      const initial = tf.tensor(w.data, w.shape, 'float32');
      this.params.set(name, tf.variable(initial, opts.trainable ?? true));
      initial.dispose();
    }
    for (const [name, t] of variant.constants?.(config) ?? []) this.fixed.set(name, tf.tensor(t.data, t.shape, 'float32'));
  }

  variables(): VariableMap {
    return this.params;
  }

  /** Current weights copied to the host, under canonical names (for saving); fixed tables too, as Hugging Face saves them. */
  async exportWeights(): Promise<Map<string, HostTensor>> {
    const out = new Map<string, HostTensor>();
    for (const [name, v] of [...this.params, ...this.fixed]) out.set(name, { dtype: 'float32', shape: v.shape.slice(), data: (await v.data()) as Float32Array });
    return out;
  }

  private p(name: string): tf.Tensor {
    return this.params.get(name) ?? this.fixed.get(name)!;
  }

  forward(batch: Batch, opts: ForwardOptions): EncoderOutput {
    const { training, rng } = opts;
    if (training && !rng) throw new Error('encoder forward: training needs a seeded rng for dropout');
    const seed = rng ? () => rng.nextSeed() : undefined;
    const [B, T] = batch.inputIds.shape;
    const maxTokens = this.variant.maxTokens(this.config);
    if (T > maxTokens) {
      const positions = maxTokens === this.config.max_position_embeddings
        ? `max_position_embeddings (${maxTokens})`
        : `${maxTokens} positions (max_position_embeddings ${this.config.max_position_embeddings}, less the pad offset)`;
      throw inputError(`sequence of ${T} tokens is longer than the model's ${positions}`, { fix: 'pass a smaller --max-length' });
    }
    const H = this.config.hidden_size;
    return tf.tidy(() => {
      const mask = tf.cast(batch.attentionMask, 'float32') as tf.Tensor2D;
      // [B, 1, T] so it broadcasts over every query row of every head (heads are folded into B).
      const scoreBias = tf.reshape(tf.mul(tf.sub(1, mask), MASK_PENALTY), [B, 1, 1, T]);

      let h = this.embed(batch, B, T, training, seed);
      const hiddenStates: tf.Tensor3D[] = [tf.reshape(h, [B, T, H])];
      for (let l = 0; l < this.config.num_hidden_layers; l++) {
        h = this.layer(l, h, scoreBias as tf.Tensor4D, B, T, training, seed);
        hiddenStates.push(tf.reshape(h, [B, T, H]));
      }
      return { hiddenStates, mask };
    });
  }

  pool(vector: tf.Tensor2D): tf.Tensor2D {
    if (!this.hasPooler) {
      throw inputError('this model was built without a pooler (--no-pooler), so a head cannot apply it', {
        fix: 'use the head with --pooler off, or load the model with its pooler',
      });
    }
    return tf.tidy(() => tf.tanh(dense(vector, this.p(POOLER_WEIGHT), this.p(POOLER_BIAS))));
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    for (const t of this.fixed.values()) t.dispose();
    this.params.clear();
    this.fixed.clear();
  }

  /** The family's embeddings, then LayerNorm and dropout; returns [B*T, H]. */
  private embed(batch: Batch, B: number, T: number, training: boolean, seed?: () => number): tf.Tensor2D {
    const summed = this.variant.embed({ batch, B, T, config: this.config, param: (name) => this.p(name) });
    const normed = layerNorm(summed, this.p('embeddings.LayerNorm.weight'), this.p('embeddings.LayerNorm.bias'), this.config.layer_norm_eps);
    return dropout(normed, this.config.hidden_dropout_prob, training, seed);
  }

  /** One transformer layer on [B*T, H] activations (post-LayerNorm, as BERT, RoBERTa and DistilBERT). */
  private layer(
    l: number, x: tf.Tensor2D, scoreBias: tf.Tensor4D, B: number, T: number, training: boolean, seed?: () => number,
  ): tf.Tensor2D {
    const c = this.config;
    const p = (name: string) => this.p(`encoder.layer.${l}.${name}`);
    const context = this.selfAttention(l, x, scoreBias, B, T, training, seed);
    const projected = dense(context, p('attention.output.dense.weight'), p('attention.output.dense.bias'));
    const attnOut = this.variant.attentionOutputDropout ? dropout(projected, c.hidden_dropout_prob, training, seed) : projected;
    const h1 = layerNorm(tf.add(attnOut, x), p('attention.output.LayerNorm.weight'), p('attention.output.LayerNorm.bias'), c.layer_norm_eps);
    const inter = activation(dense(h1, p('intermediate.dense.weight'), p('intermediate.dense.bias')), c.hidden_act);
    const out = dropout(dense(inter, p('output.dense.weight'), p('output.dense.bias')), c.hidden_dropout_prob, training, seed);
    return layerNorm(tf.add(out, h1), p('output.LayerNorm.weight'), p('output.LayerNorm.bias'), c.layer_norm_eps);
  }

  /** Scaled dot-product self-attention with the additive padding mask; returns [B*T, H]. */
  private selfAttention(
    l: number, x: tf.Tensor2D, scoreBias: tf.Tensor4D, B: number, T: number, training: boolean, seed?: () => number,
  ): tf.Tensor2D {
    const c = this.config;
    const nh = c.num_attention_heads;
    const dh = this.headSize;
    const p = (name: string) => this.p(`encoder.layer.${l}.attention.self.${name}`);
    // [B*T, H] → [B, nh, T, dh]
    const split = (t: tf.Tensor2D) => tf.transpose(tf.reshape(t, [B, T, nh, dh]), [0, 2, 1, 3]);
    const q = split(dense(x, p('query.weight'), p('query.bias')));
    const k = split(dense(x, p('key.weight'), p('key.bias')));
    const v = split(dense(x, p('value.weight'), p('value.bias')));
    const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)), scoreBias);
    const probs = dropout(tf.softmax(scores), c.attention_probs_dropout_prob, training, seed);
    const context = tf.matMul(probs, v); // [B, nh, T, dh]
    return tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [B * T, c.hidden_size]);
  }
}

/** The BERT encoder (Hugging Face `BertModel`). */
export class BertEncoder extends TransformerEncoder {
  /** `weights` must hold every name of `bertParameterShapes(config)` (without the pooler when `pooler: false`). */
  constructor(config: BertConfig, weights: Map<string, HostTensor>, opts: { trainable?: boolean; pooler?: boolean } = {}) {
    super(BERT_VARIANT, config, weights, opts);
  }
}
