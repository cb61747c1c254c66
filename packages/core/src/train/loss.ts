import * as tf from '@tensorflow/tfjs-core';
import type { ProblemType } from '../model/labels.js';

/**
 * The training loss of a batch: softmax cross-entropy for classification, mean squared error
 * for regression (num_labels 1), both averaged over the batch, as Hugging Face computes them.
 */
export function batchLoss(logits: tf.Tensor2D, labels: tf.Tensor1D, problemType: ProblemType): tf.Scalar {
  return tf.tidy(() => {
    if (problemType === 'regression') {
      return tf.mean(tf.square(tf.sub(tf.reshape(logits, [-1]), labels))) as tf.Scalar;
    }
    const logProbs = tf.logSoftmax(logits);
    const picked = tf.sum(tf.mul(logProbs, tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1])), 1);
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  });
}

/** Labels as the tensor `batchLoss` expects: class ids (int32) or regression targets (float32). */
export function labelTensor(values: number[], problemType: ProblemType): tf.Tensor1D {
  return tf.tensor1d(values, problemType === 'regression' ? 'float32' : 'int32');
}
