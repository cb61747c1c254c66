import { DENSE_KERNEL } from '@maxpoolbert/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { NativeAddon } from '../addon.js';
import { asHeapBackend, heapOf, offsetOf } from '../heap.js';

/** Core's dense kernel (`DENSE_KERNEL`): x · Wᵀ + b in one call, the bias added as the product is written. */
export function denseKernel(addon: NativeAddon, backendName: string): tf.KernelConfig {
  return {
    kernelName: DENSE_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend: b }) => {
      const { x, weight, bias } = inputs as unknown as { x: tf.TensorInfo; weight: tf.TensorInfo; bias: tf.TensorInfo };
      const [m, k] = x.shape as [number, number];
      const [n, kW] = weight.shape as [number, number];
      if (x.dtype !== 'float32' || weight.dtype !== 'float32' || bias.dtype !== 'float32' || x.shape.length !== 2 || weight.shape.length !== 2 ||
        kW !== k || bias.shape.length !== 1 || bias.shape[0] !== n) {
        throw new Error(`${DENSE_KERNEL}: needs float32 x [rows, in], weight [out, in] and bias [out]; got ${x.shape}, ${weight.shape}, ${bias.shape}`);
      }
      const backend = asHeapBackend(b);
      const out = backend.makeOutput([m, n], 'float32');
      addon.dense(heapOf(backend), offsetOf(backend, x), offsetOf(backend, weight), offsetOf(backend, bias), offsetOf(backend, out), m, n, k);
      return out;
    },
  };
}
