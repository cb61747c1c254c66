import * as tf from '@tensorflow/tfjs-core';
import type { EncoderOutput } from '@maxpoolbert/core';

/**
 * The last k transformer layers, hs[L-k+1..L]. hs[0] (the embedding output) never counts, so
 * k may be at most L (checked when the head is made).
 */
export function lastLayers(out: EncoderOutput, k: number): tf.Tensor3D[] {
  return out.hiddenStates.slice(out.hiddenStates.length - k);
}

/** Element-wise max over tensors of one shape (over layers, in MaxPoolBERT). */
export function elementwiseMax<T extends tf.Tensor>(tensors: T[]): T {
  return tf.tidy(() => tensors.slice(1).reduce((acc, t) => tf.maximum(acc, t) as T, tensors[0]));
}
