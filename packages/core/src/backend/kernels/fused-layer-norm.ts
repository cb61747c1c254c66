import * as tf from '@tensorflow/tfjs-core';

/**
 * LayerNorm over the last axis (PyTorch's biased variance) as one kernel a backend may register
 * (the native CPU backend does), with its gradient as a second one. Backends without both run
 * the same formula composed from tfjs ops, so the model has one definition everywhere; with
 * them, BERT's 25 LayerNorms per forward are 25 kernels instead of 225, and their backward 25
 * instead of ~500 (most of them row reductions and broadcasts over every token).
 *
 * `LAYER_NORM_KERNEL`: inputs `x` [..., C], `gamma` [C], `beta` [C]; attr `epsilon`; output
 * ((x − mean) · 1/√(var + ε)) · γ + β. `LAYER_NORM_GRAD_KERNEL`: inputs `dy`, `x`, `gamma`,
 * attrs `epsilon` and `wrt` (`'x'`, `'gamma'` or `'beta'`); output that one gradient. (One
 * kernel call per gradient, as tfjs asks for each separately and frees what it did not ask for.)
 */
export const LAYER_NORM_KERNEL = 'MaxPoolBertLayerNorm';
export const LAYER_NORM_GRAD_KERNEL = 'MaxPoolBertLayerNormGrad';

/** The composed formula (what the kernel must compute). */
function composedLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  return tf.tidy(() => {
    const mean = tf.mean(x, -1, true);
    const centered = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centered), -1, true);
    return tf.add(tf.mul(tf.mul(centered, tf.rsqrt(tf.add(variance, eps))), gamma), beta);
  });
}

let gradientRegistered = false;

function registerLayerNormGradient(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: LAYER_NORM_KERNEL,
    inputsToSave: ['x', 'gamma'],
    gradFunc: (dy, saved, attrs) => {
      const [x, gamma] = saved;
      const { epsilon } = attrs as unknown as { epsilon: number };
      const grad = (wrt: 'x' | 'gamma' | 'beta') => () =>
        tf.engine().runKernel(LAYER_NORM_GRAD_KERNEL, { dy: dy as tf.Tensor, x, gamma }, { epsilon, wrt }) as tf.Tensor;
      return { x: grad('x'), gamma: grad('gamma'), beta: grad('beta') };
    },
  });
}

/** Whether the active backend runs LayerNorm and its gradient as kernels. */
function fused(): boolean {
  const backend = tf.getBackend();
  return tf.getKernel(LAYER_NORM_KERNEL, backend) !== undefined && tf.getKernel(LAYER_NORM_GRAD_KERNEL, backend) !== undefined;
}

/** LayerNorm over the last axis: the backend's fused kernel where it has one, else the composed ops. */
export function fusedLayerNorm<T extends tf.Tensor>(x: T, gamma: tf.Tensor, beta: tf.Tensor, eps: number): T {
  if (x.dtype === 'float32' && fused()) {
    registerLayerNormGradient();
    return tf.engine().runKernel(LAYER_NORM_KERNEL, { x, gamma, beta }, { epsilon: eps }) as T;
  }
  return composedLayerNorm(x, gamma, beta, eps) as T;
}
