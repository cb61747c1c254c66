import * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../../config/bert-config.js';
import { bertParameterShapes } from '../../model/bert-parameters.js';
import type { EncoderVariant } from '../../model/bert-encoder.js';
import type { HostTensor } from '../../weights/named-tensor.js';
import { sinusoidalPositions } from './distilbert-config.js';

const POSITIONS = 'embeddings.position_embeddings.weight';

/**
 * The fixed position table of `sinusoidal_pos_embds: true`, as Hugging Face's
 * `create_sinusoidal_embeddings`: angle pos / 10000^(2⌊j/2⌋/dim), sin in even columns, cos in odd.
 * Computed in float64, stored as float32, as PyTorch does.
 */
export function sinusoidalTable(positions: number, dim: number): HostTensor {
  const data = new Float32Array(positions * dim);
  for (let pos = 0; pos < positions; pos++) {
    for (let j = 0; j < dim; j++) {
      const angle = pos / Math.pow(10000, (2 * Math.floor(j / 2)) / dim);
      data[pos * dim + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return { dtype: 'float32', shape: [positions, dim], data };
}

/**
 * DistilBERT = BERT's layers without token types, without dropout after the attention output
 * projection (Hugging Face's `MultiHeadSelfAttention` has none there), and with a trained or a
 * fixed sinusoidal position table.
 */
export const DISTILBERT_VARIANT: EncoderVariant = {
  parameterShapes: (config, opts) => bertParameterShapes(config, { ...opts, tokenTypes: false, positions: !sinusoidalPositions(config) }),
  embed({ batch, B, T, config, param }) {
    const H = config.hidden_size;
    const words = tf.gather(param('embeddings.word_embeddings.weight'), tf.reshape(batch.inputIds, [B * T]));
    const positions = tf.slice(param(POSITIONS), [0, 0], [T, H]);
    return tf.reshape(tf.add(tf.reshape(words, [B, T, H]), positions), [B * T, H]) as tf.Tensor2D;
  },
  maxTokens: (config) => config.max_position_embeddings,
  attentionOutputDropout: false,
  constants: (config: BertConfig) =>
    sinusoidalPositions(config) ? new Map([[POSITIONS, sinusoidalTable(config.max_position_embeddings, config.hidden_size)]]) : new Map(),
};
