import * as tf from '@tensorflow/tfjs-core';

/**
 * The global L2 norm of all gradients, √(Σ‖g‖²), as `torch.nn.utils.clip_grad_norm_` computes it,
 * as a scalar on the backend (float32, like PyTorch's). Nothing is read back: a synchronous read
 * would stall a GPU pipeline, and tfjs's WebGPU backend cannot read synchronously in Node at all.
 */
export function globalNormTensor(grads: ReadonlyMap<string, tf.Tensor>): tf.Scalar {
  return tf.tidy(() => {
    if (grads.size === 0) return tf.scalar(0);
    // (A cast of a float32 gradient would be a copy of it on some backends: skipped.)
    return tf.sqrt(tf.addN([...grads.values()].map((g) => tf.sum(tf.square(g.dtype === 'float32' ? g : tf.cast(g, 'float32')))))) as tf.Scalar;
  });
}

/** The global norm as a number (an asynchronous read). */
export async function globalNorm(grads: ReadonlyMap<string, tf.Tensor>): Promise<number> {
  const norm = globalNormTensor(grads);
  try {
    return (await norm.data())[0];
  } finally {
    norm.dispose();
  }
}

export interface ClippedGradients {
  /** New tensors (the caller disposes them, as well as the inputs). */
  grads: Map<string, tf.Tensor>;
  /** The global norm before clipping, still on the backend (the caller reads and disposes it). */
  norm: tf.Scalar;
}

/**
 * `torch.nn.utils.clip_grad_norm_(params, maxNorm)` without the in-place update: every gradient
 * is scaled by `min(1, maxNorm / (norm + 1e-6))`, computed on the backend, so a step never waits
 * for a read-back. A factor of exactly 1 leaves the values unchanged (the results are always new
 * tensors, the caller's to dispose). Non-finite norms are not an error (PyTorch's default
 * `error_if_nonfinite=False`).
 */
export function clipByGlobalNorm(grads: ReadonlyMap<string, tf.Tensor>, maxNorm: number): ClippedGradients {
  const { coef, norm } = clipCoefficient(grads, maxNorm);
  const out = new Map([...grads].map(([name, g]) => [name, scaleGradient(g, coef)]));
  coef.dispose();
  return { grads: out, norm };
}

/**
 * The factor {@link clipByGlobalNorm} scales every gradient by, and the norm, both on the
 * backend (the caller disposes both): for an optimizer that applies the factor itself.
 */
export function clipCoefficient(grads: ReadonlyMap<string, tf.Tensor>, maxNorm: number): { coef: tf.Scalar; norm: tf.Scalar } {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) throw new RangeError(`maxNorm must be a finite number > 0, got ${maxNorm}`);
  const norm = globalNormTensor(grads);
  const coef = tf.tidy(() => tf.minimum(tf.scalar(1), tf.div(tf.scalar(maxNorm), tf.add(norm, tf.scalar(1e-6))))) as tf.Scalar;
  return { coef, norm };
}

/** g · coef, as clipping scales each gradient (a new tensor). */
export function scaleGradient(g: tf.Tensor, coef: tf.Scalar): tf.Tensor {
  return tf.tidy(() => tf.mul(g, g.dtype === coef.dtype ? coef : tf.cast(coef, g.dtype)));
}
