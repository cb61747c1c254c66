import * as tf from '@tensorflow/tfjs-core';

/** The function customGrad wraps: tfjs types it as variadic (tensors, then the save function). */
type CustomGradFn = Parameters<typeof tf.customGrad>[0];

/**
 * Mean softmax cross-entropy of `logits` [N, V] against class ids `labels` (int32 [N]), with
 * its gradient written out: (softmax(logits) − onehot(label)) / N.
 *
 * Why not tfjs's own ops: the autodiff of logSumExp goes through `max`, whose gradient builds
 * an `equal` mask over all N × V logits, and with a vocabulary-sized V (30k for a masked LM)
 * that one op took ~75 % of a pre-training step on the native backend. The closed form needs
 * one softmax over the logits and nothing else of that size.
 */
export function sparseSoftmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const [N, V] = logits.shape;
  // Only inputs and outputs may be saved for the backward pass (tfjs counts anything else as a
  // leak), so the labels go in as a second input, with a zero gradient.
  const loss = tf.customGrad(((x: tf.Tensor2D, ids: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const logProbs = tf.logSoftmax(x);
    // -log p(label): the label's entry of each row, gathered from the flat log-probabilities.
    const index = tf.add(tf.mul(tf.range(0, N, 1, 'int32'), tf.scalar(V, 'int32')), ids);
    const value = tf.neg(tf.mean(tf.gather(tf.reshape(logProbs, [-1]), index)));
    save([x, ids]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, [savedX, savedIds]: tf.Tensor[]) => [
        // An int32 one-hot, cast: tfjs-backend-wasm 4.22's OneHot (also native's) ignores a
        // float32 dtype and writes int32 bits (1 reads as 1.4e-45).
        tf.mul(tf.sub(tf.softmax(savedX), tf.cast(tf.oneHot(savedIds as tf.Tensor1D, V), 'float32')), tf.div(dy, N)),
        tf.zerosLike(savedIds),
      ],
    };
  }) as unknown as CustomGradFn);
  return tf.tidy(() => loss(logits, tf.cast(labels, 'int32')) as tf.Scalar);
}
