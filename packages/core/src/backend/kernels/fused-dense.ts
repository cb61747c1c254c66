import * as tf from '@tensorflow/tfjs-core';

/**
 * A Hugging Face Linear, x · Wᵀ + b, as one kernel a backend may register (the native CPU
 * backend does, so BERT's ~73 dense layers per forward are ~73 kernels instead of ~146; for
 * few-row products it adds the bias while it writes the result). Backends without it run the composed ops, so the model has one definition
 * everywhere. (Not `tf.fused.matMul`: tfjs-backend-wasm 4.22 returns wrong values for a fused
 * matmul with both transposeB and a bias: off by ~2 on random inputs, see the backend-node
 * parity test.)
 *
 * `DENSE_KERNEL`: inputs `x` [rows, in], `weight` [out, in] (PyTorch's layout), `bias` [out];
 * output [rows, out]. Its gradient is composed of the same ops as the composed form's (so the
 * backward pass computes exactly what it computed before): dx = dy · W, dW = dyᵀ · x,
 * db = Σ_rows dy.
 */
export const DENSE_KERNEL = 'MaxPoolBertDense';

function composedDense(x: tf.Tensor2D, weight: tf.Tensor, bias: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => tf.add(tf.matMul(x, weight as tf.Tensor2D, false, true), bias));
}

let gradientRegistered = false;

function registerDenseGradient(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: DENSE_KERNEL,
    inputsToSave: ['x', 'weight'],
    gradFunc: (dy, saved) => {
      const [x, weight] = saved as [tf.Tensor2D, tf.Tensor2D];
      const g = dy as tf.Tensor2D;
      return {
        x: () => tf.matMul(g, weight, false, false),
        weight: () => tf.matMul(g, x, true, false),
        bias: () => tf.sum(g, 0),
      };
    },
  });
}

/** x · Wᵀ + b: the backend's fused kernel where it has one (float32, 2-D x and W, 1-D b), else the composed ops. */
export function fusedDense(x: tf.Tensor2D, weight: tf.Tensor, bias: tf.Tensor): tf.Tensor2D {
  const fits = x.dtype === 'float32' && weight.dtype === 'float32' && bias.dtype === 'float32' && x.rank === 2 && weight.rank === 2 && bias.rank === 1 &&
    x.shape[1] === weight.shape[1] && bias.shape[0] === weight.shape[0];
  if (fits && tf.getKernel(DENSE_KERNEL, tf.getBackend())) {
    registerDenseGradient();
    return tf.engine().runKernel(DENSE_KERNEL, { x, weight, bias }) as tf.Tensor2D;
  }
  return composedDense(x, weight, bias);
}
