import * as tf from '@tensorflow/tfjs-core';

/**
 * The global L2 norm of all gradients, √(Σ‖g‖²), as `torch.nn.utils.clip_grad_norm_` computes it
 * (the norm of the per-tensor norms). Per-tensor sums of squares run on the backend in float32;
 * they are combined in float64 on the host. Reads back one small tensor (a sync read).
 */
export function globalNorm(grads: ReadonlyMap<string, tf.Tensor>): number {
  if (grads.size === 0) return 0;
  const squares = tf.tidy(() => tf.stack([...grads.values()].map((g) => tf.sum(tf.square(tf.cast(g, 'float32'))))));
  try {
    let total = 0;
    for (const s of squares.dataSync()) total += s;
    return Math.sqrt(total);
  } finally {
    squares.dispose();
  }
}

export interface ClippedGradients {
  /** New tensors (the caller disposes them, as well as the inputs). */
  grads: Map<string, tf.Tensor>;
  /** The global norm before clipping. */
  norm: number;
}

/**
 * `torch.nn.utils.clip_grad_norm_(params, maxNorm)` without the in-place update: the scale
 * `maxNorm / (norm + 1e-6)` is applied when it is below 1; otherwise the gradients are returned
 * unchanged (as clones, so the result is always the caller's to dispose). Non-finite norms are not
 * an error (PyTorch's default `error_if_nonfinite=False`).
 */
export function clipByGlobalNorm(grads: ReadonlyMap<string, tf.Tensor>, maxNorm: number): ClippedGradients {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) throw new RangeError(`maxNorm must be a finite number > 0, got ${maxNorm}`);
  const norm = globalNorm(grads);
  const coef = maxNorm / (norm + 1e-6);
  const out = new Map<string, tf.Tensor>();
  for (const [name, g] of grads) out.set(name, coef < 1 ? tf.mul(g, coef) : tf.clone(g));
  return { grads: out, norm };
}
