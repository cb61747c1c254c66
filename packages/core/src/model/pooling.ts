import * as tf from '@tensorflow/tfjs-core';

/** Ways to turn one layer's token vectors [B, T, H] into one vector per row [B, H]. */
export type TokenPooling = 'cls' | 'mean' | 'max';

/** The first token ([CLS]) of every row. */
export function clsVector(hidden: tf.Tensor3D): tf.Tensor2D {
  const [B, , H] = hidden.shape;
  return tf.tidy(() => tf.reshape(tf.slice(hidden, [0, 0, 0], [B, 1, H]), [B, H]));
}

/** Mean over real tokens only (mask-weighted), so padding never dilutes it. */
export function maskedMean(hidden: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const m = tf.expandDims(tf.cast(mask, 'float32'), 2); // [B, T, 1]
    const summed = tf.sum(tf.mul(hidden, m), 1);
    const counts = tf.maximum(tf.sum(m, 1), 1e-9); // a row always has [CLS], but never divide by 0
    return tf.div(summed, counts) as tf.Tensor2D;
  });
}

/**
 * Element-wise max over real tokens. Padding positions are replaced (not offset) by a value far
 * below any real one first, so they can never win, whatever they hold (a plain max would let a
 * padded 0 beat all-negative features; an additive penalty would let a huge padded value win).
 */
export function maskedMax(hidden: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const real = tf.greater(tf.expandDims(mask, 2), 0); // [B, T, 1], broadcast over features
    return tf.max(tf.where(real, hidden, tf.fill(hidden.shape, -1e9)), 1) as tf.Tensor2D;
  });
}

export function poolTokens(hidden: tf.Tensor3D, mask: tf.Tensor2D, how: TokenPooling): tf.Tensor2D {
  switch (how) {
    case 'cls':
      return clsVector(hidden);
    case 'mean':
      return maskedMean(hidden, mask);
    case 'max':
      return maskedMax(hidden, mask);
  }
}
