import * as tf from '@tensorflow/tfjs-core';

/**
 * A kernel that a backend may register to run one AdamW update of one parameter in a single pass
 * (the native CPU backend does). Inputs `p`, `m`, `v`, `g` (float32, one shape) and optionally
 * `scale` (a float32 scalar: gradient clipping's factor); outputs `[p1, m1, v1]`; it must
 * compute exactly what {@link AdamW} computes op by op, in the same float32 order:
 *
 *     g' = g·scale (when given);  m1 = m + (g' − m)·(1−β1);  v1 = v·β2 + (g'·(1−β2))·g'
 *     p1 = (decayFactor ≠ 1 ? p·decayFactor : p) + (m1·(−stepSize)) / (√v1 / bc2Sqrt + ε)
 *
 * Backends without it get the composed ops: one model of the optimizer, faster where a backend
 * can fuse it (as tfjs's own fused ops).
 */
export const ADAMW_UPDATE_KERNEL = 'MaxPoolBertAdamWUpdate';

export interface AdamWUpdateAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** lr / (1 − β1^t) */
  stepSize: number;
  /** √(1 − β2^t) */
  bc2Sqrt: number;
  /** 1 − lr·weightDecay where the parameter decays, else 1 */
  decayFactor: number;
}

/** Whether the active backend has the fused update. */
export function hasFusedAdamW(): boolean {
  return tf.getKernel(ADAMW_UPDATE_KERNEL, tf.getBackend()) !== undefined;
}

/** Runs the fused update; the caller assigns and disposes the three outputs. */
export function fusedAdamWUpdate(
  p: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, attrs: AdamWUpdateAttrs, scale?: tf.Scalar,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const inputs: tf.NamedTensorMap = scale ? { p, m, v, g, scale } : { p, m, v, g };
  const outs = tf.engine().runKernel(ADAMW_UPDATE_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
  return [outs[0], outs[1], outs[2]];
}
