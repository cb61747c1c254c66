import * as tf from '@tensorflow/tfjs-core';
import { formatShape, sameShape } from '../../weights/named-tensor.js';

/**
 * Gradient accumulation over micro-batches. Keeps running sums Σ w·g per parameter (float32
 * tensors on the backend) and their total weight Σ w. With each micro-batch's gradient of its
 * *mean* loss and `weight` = its example count, `average()` is the gradient of the mean loss over
 * the whole batch; with the default weight 1 it is the plain mean over micro-batches.
 */
export class GradientAccumulator {
  private sums = new Map<string, tf.Tensor>();
  private batches = 0;
  private weightSum = 0;

  /** Micro-batches added since the last reset. */
  get count(): number {
    return this.batches;
  }

  /** Σ w over the micro-batches added since the last reset. */
  get totalWeight(): number {
    return this.weightSum;
  }

  /**
   * Adds one micro-batch's gradients with weight `weight` (finite, ≥ 0) and disposes them (the
   * accumulator takes ownership; pass clones to keep them). Every micro-batch must have the same
   * names and shapes as the first; on error nothing changes and nothing is disposed.
   */
  add(grads: ReadonlyMap<string, tf.Tensor>, weight = 1): void {
    if (!Number.isFinite(weight) || weight < 0) throw new RangeError(`GradientAccumulator: weight must be a finite number >= 0, got ${weight}`);
    if (this.batches > 0) {
      if (grads.size !== this.sums.size) {
        throw new Error(`GradientAccumulator: ${grads.size} gradients, earlier micro-batches had ${this.sums.size}`);
      }
      for (const [name, g] of grads) {
        const s = this.sums.get(name);
        if (!s) throw new Error(`GradientAccumulator: gradient "${name}" not in earlier micro-batches`);
        if (!sameShape(s.shape, g.shape)) {
          throw new Error(`GradientAccumulator: gradient "${name}" has shape ${formatShape(g.shape)}, earlier ${formatShape(s.shape)}`);
        }
      }
    }
    for (const [name, g] of grads) {
      const prev = this.sums.get(name);
      const next = tf.tidy(() => {
        const wg = weight === 1 ? tf.cast(g, 'float32') : tf.mul(tf.cast(g, 'float32'), weight);
        return prev ? tf.add(prev, wg) : wg;
      });
      prev?.dispose();
      this.sums.set(name, next);
    }
    for (const g of new Set(grads.values())) g.dispose();
    this.batches++;
    this.weightSum += weight;
  }

  /** Σ w·g / Σ w per parameter, as new tensors (the caller disposes them). Does not reset. */
  average(): Map<string, tf.Tensor> {
    if (this.batches === 0) throw new Error('GradientAccumulator: average() before any add()');
    if (!(this.weightSum > 0)) throw new Error('GradientAccumulator: total weight is 0');
    const out = new Map<string, tf.Tensor>();
    for (const [name, s] of this.sums) out.set(name, tf.div(s, this.weightSum));
    return out;
  }

  /** Running sums Σ w·g, as new tensors (the caller disposes them). */
  sum(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    for (const [name, s] of this.sums) out.set(name, tf.clone(s));
    return out;
  }

  /** Frees the sums and starts over. */
  reset(): void {
    for (const s of this.sums.values()) s.dispose();
    this.sums.clear();
    this.batches = 0;
    this.weightSum = 0;
  }

  dispose(): void {
    this.reset();
  }
}
