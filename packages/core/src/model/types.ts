import type * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../config/bert-config.js';
import type { SeededRng } from '../random/seeded-rng.js';
import type { HostTensor } from '../weights/named-tensor.js';

/** One tokenised batch as tensors, all int32 of shape [batch, tokens]. */
export interface Batch {
  inputIds: tf.Tensor2D;
  tokenTypeIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
}

export interface EncoderOutput {
  /** hiddenStates[0] is the embedding output, hiddenStates[i] the output of layer i; each [B, T, H]. */
  hiddenStates: tf.Tensor3D[];
  /** The attention mask as float32 [B, T] (1 = real token, 0 = padding). */
  mask: tf.Tensor2D;
}

export interface ForwardOptions {
  /** Dropout is applied only while training. */
  training: boolean;
  /** Hands out dropout seeds; required when training so runs are reproducible. */
  rng?: SeededRng;
}

/** Trainable parameters under their checkpoint names. */
export type VariableMap = Map<string, tf.Variable>;

/**
 * A BERT-shaped encoder: anything that maps a batch to every layer's hidden states can feed the
 * heads. BERT is the one core ships; others register through `registerEncoder`.
 */
export interface Encoder {
  readonly config: BertConfig;
  forward(batch: Batch, opts: ForwardOptions): EncoderOutput;
  /** The model's own pooler, tanh(W v + b), applied to a sentence vector [B, H]. */
  pool(vector: tf.Tensor2D): tf.Tensor2D;
  /** False for an encoder built without a pooler (`pool` throws); absent means it has one. */
  readonly hasPooler?: boolean;
  /** Parameters under their canonical Hugging Face names (no `bert.` prefix). */
  variables(): VariableMap;
  /** Current weights copied to the host, under the same names (for saving). */
  exportWeights(): Promise<Map<string, HostTensor>>;
  dispose(): void;
}
