import * as tf from '@tensorflow/tfjs-core';
import { bertParameterShapes } from '../../model/bert-parameters.js';
import type { EncoderVariant } from '../../model/bert-encoder.js';

/**
 * RoBERTa's position ids, as Hugging Face's `create_position_ids_from_input_ids`:
 * cumsum(ids != pad) * (ids != pad) + pad, so real tokens count from pad + 1 and every padding
 * token sits at position `pad`. Computed on the device (float cumsum is exact at these sizes),
 * so no batch is read back to the host. Returns int32 [B*T].
 */
export function robertaPositionIds(inputIds: tf.Tensor2D, padId: number): tf.Tensor1D {
  return tf.tidy(() => {
    const real = tf.cast(tf.notEqual(inputIds, padId), 'float32');
    const positions = tf.add(tf.mul(tf.cumsum(real, 1), real), padId);
    return tf.reshape(tf.cast(positions, 'int32'), [-1]) as tf.Tensor1D;
  });
}

/** RoBERTa = BERT's layers with padding-aware positions (and, in practice, one token type). */
export const ROBERTA_VARIANT: EncoderVariant = {
  parameterShapes: (config, opts) => bertParameterShapes(config, opts),
  embed({ batch, B, T, config, param }) {
    const words = tf.gather(param('embeddings.word_embeddings.weight'), tf.reshape(batch.inputIds, [B * T]));
    const types = tf.gather(param('embeddings.token_type_embeddings.weight'), tf.reshape(batch.tokenTypeIds, [B * T]));
    const positions = tf.gather(param('embeddings.position_embeddings.weight'), robertaPositionIds(batch.inputIds, config.pad_token_id));
    return tf.add(tf.add(words, types), positions) as tf.Tensor2D;
  },
  // Positions run up to T + pad_token_id, so the table holds max_position_embeddings - pad - 1 tokens (514 → 512).
  maxTokens: (config) => config.max_position_embeddings - config.pad_token_id - 1,
  attentionOutputDropout: true,
};
