import { GELU_GRAD_KERNEL, GELU_KERNEL } from '@maxpoolbert/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { NativeAddon } from '../addon.js';
import { asHeapBackend, heapOf, offsetOf, sizeOf } from '../heap.js';

/** Core's fused exact GELU and its gradient (`GELU_KERNEL`, `GELU_GRAD_KERNEL`): one pass each. */
export function geluKernels(addon: NativeAddon, backendName: string): tf.KernelConfig[] {
  return [
    {
      kernelName: GELU_KERNEL,
      backendName,
      kernelFunc: ({ inputs, backend: b }) => {
        const { x } = inputs as unknown as { x: tf.TensorInfo };
        const backend = asHeapBackend(b);
        const out = backend.makeOutput(x.shape, 'float32');
        addon.gelu(heapOf(backend), offsetOf(backend, x), offsetOf(backend, out), sizeOf(x.shape));
        return out;
      },
    },
    {
      kernelName: GELU_GRAD_KERNEL,
      backendName,
      kernelFunc: ({ inputs, backend: b }) => {
        const { dy, x } = inputs as unknown as { dy: tf.TensorInfo; x: tf.TensorInfo };
        if (dy.dtype !== 'float32' || x.dtype !== 'float32' || sizeOf(dy.shape) !== sizeOf(x.shape)) throw new Error(`${GELU_GRAD_KERNEL}: dy and x must be float32 of one shape`);
        const backend = asHeapBackend(b);
        const out = backend.makeOutput(x.shape, 'float32');
        addon.geluGrad(heapOf(backend), offsetOf(backend, dy), offsetOf(backend, x), offsetOf(backend, out), sizeOf(x.shape));
        return out;
      },
    },
  ];
}
