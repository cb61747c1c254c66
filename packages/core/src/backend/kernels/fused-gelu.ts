import * as tf from '@tensorflow/tfjs-core';

/**
 * Exact GELU, x·½·(1 + erf(x/√2)), as one kernel that a backend may register (the native CPU
 * backend does), with its gradient as a second one. Backends without them run the same formula
 * composed from tfjs ops, so the model has one definition everywhere; with them, the activation
 * and its gradient are one pass each over BERT's largest tensors instead of ~5 and ~10.
 */
export const GELU_KERNEL = 'MaxPoolBertGelu';
/** Inputs `dy`, `x`: dy · GELU′(x). */
export const GELU_GRAD_KERNEL = 'MaxPoolBertGeluGrad';

const SQRT_HALF = Math.SQRT1_2;

/** The composed formula (also what a fused kernel must compute, in this float32 order). */
function composedGelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, SQRT_HALF)))));
}

/** GELU′(x) · dy from ops, for a backend that has the forward kernel but not the gradient's. */
function composedGeluGrad(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const u = tf.mul(x, SQRT_HALF);
    const cdf = tf.mul(0.5, tf.add(1, tf.erf(u)));
    const pdf = tf.mul(tf.mul(tf.mul(x, 0.5), tf.mul(2 / Math.sqrt(Math.PI), tf.exp(tf.neg(tf.square(u))))), SQRT_HALF);
    return tf.mul(dy, tf.add(cdf, pdf));
  });
}

let gradientRegistered = false;

function registerGeluGradient(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: GELU_KERNEL,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved;
      return {
        x: () =>
          tf.getKernel(GELU_GRAD_KERNEL, tf.getBackend())
            ? (tf.engine().runKernel(GELU_GRAD_KERNEL, { dy: dy as tf.Tensor, x }) as tf.Tensor)
            : composedGeluGrad(dy as tf.Tensor, x),
      };
    },
  });
}

/** Exact GELU: the backend's fused kernel where it has one, else the composed ops. */
export function gelu<T extends tf.Tensor>(x: T): T {
  if (x.dtype === 'float32' && tf.getKernel(GELU_KERNEL, tf.getBackend())) {
    registerGeluGradient();
    return tf.engine().runKernel(GELU_KERNEL, { x }) as T;
  }
  return composedGelu(x) as T;
}
