import * as tf from '@tensorflow/tfjs-core';
import type { HiddenAct } from '../config/bert-config.js';
import { fusedDense } from '../backend/kernels/fused-dense.js';
import { gelu } from '../backend/kernels/fused-gelu.js';
import { fusedLayerNorm } from '../backend/kernels/fused-layer-norm.js';

/**
 * The building blocks of BERT as plain tfjs-core ops, so they run on every backend and have
 * gradients everywhere. Activations are kept 2-D ([rows, features]) between blocks, because a
 * single 2-D matmul is the fastest path on every backend.
 */

/** A Hugging Face Linear: x [rows, in] · Wᵀ + b, with W stored as [out, in] like PyTorch (see `fusedDense`). */
export function dense(x: tf.Tensor2D, weight: tf.Tensor, bias: tf.Tensor): tf.Tensor2D {
  return fusedDense(x, weight, bias);
}

/** LayerNorm over the last axis, with PyTorch's biased variance. */
export function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor2D {
  return fusedLayerNorm(x, gamma, beta, eps);
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** BERT's activations: exact erf GELU ("gelu"), the tanh approximation, or ReLU. */
export function activation<T extends tf.Tensor>(x: T, act: HiddenAct): T {
  return tf.tidy(() => {
    switch (act) {
      case 'gelu':
        return gelu(x);
      case 'gelu_new':
      case 'gelu_pytorch_tanh': {
        const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), SQRT_2_OVER_PI);
        return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(inner))) as T;
      }
      case 'relu':
        return tf.relu(x) as T;
    }
  });
}

/** Inverted dropout, seeded, and a no-op when not training or when the rate is 0. */
export function dropout<T extends tf.Tensor>(x: T, rate: number, training: boolean, seed?: () => number): T {
  if (!training || rate <= 0) return x;
  return tf.dropout(x, rate, undefined, seed ? seed() : undefined) as T;
}
