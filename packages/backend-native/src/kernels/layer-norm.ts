import { LAYER_NORM_GRAD_KERNEL, LAYER_NORM_KERNEL } from '@maxpoolbert/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { NativeAddon } from '../addon.js';
import { asHeapBackend, heapOf, offsetOf, sizeOf } from '../heap.js';

/** Codes of native/layer-norm.cc's gradients. */
const WRT: Record<string, number> = { x: 0, gamma: 1, beta: 2 };

function checkShapes(kernel: string, x: tf.TensorInfo, others: tf.TensorInfo[], params: tf.TensorInfo[]): { rows: number; cols: number } {
  const cols = x.shape[x.shape.length - 1] ?? 1;
  const rows = cols === 0 ? 0 : sizeOf(x.shape) / cols;
  for (const t of [x, ...others, ...params]) if (t.dtype !== 'float32') throw new Error(`${kernel}: float32 tensors only`);
  for (const t of others) if (sizeOf(t.shape) !== sizeOf(x.shape)) throw new Error(`${kernel}: dy and x must have one shape`);
  for (const t of params) if (sizeOf(t.shape) !== cols) throw new Error(`${kernel}: gamma and beta must have the last axis's ${cols} values`);
  return { rows, cols };
}

/** Core's fused LayerNorm and its gradient (`LAYER_NORM_KERNEL`, `LAYER_NORM_GRAD_KERNEL`): one pass each, rows in parallel. */
export function layerNormKernels(addon: NativeAddon, backendName: string): tf.KernelConfig[] {
  return [
    {
      kernelName: LAYER_NORM_KERNEL,
      backendName,
      kernelFunc: ({ inputs, attrs, backend: b }) => {
        const { x, gamma, beta } = inputs as unknown as Record<'x' | 'gamma' | 'beta', tf.TensorInfo>;
        const { rows, cols } = checkShapes(LAYER_NORM_KERNEL, x, [], [gamma, beta]);
        const backend = asHeapBackend(b);
        const out = backend.makeOutput(x.shape, 'float32');
        addon.layerNorm(heapOf(backend), offsetOf(backend, x), offsetOf(backend, gamma), offsetOf(backend, beta), offsetOf(backend, out), rows, cols, (attrs as unknown as { epsilon: number }).epsilon);
        return out;
      },
    },
    {
      kernelName: LAYER_NORM_GRAD_KERNEL,
      backendName,
      kernelFunc: ({ inputs, attrs, backend: b }) => {
        const { dy, x, gamma } = inputs as unknown as Record<'dy' | 'x' | 'gamma', tf.TensorInfo>;
        const { rows, cols } = checkShapes(LAYER_NORM_GRAD_KERNEL, x, [dy], [gamma]);
        const { epsilon, wrt } = attrs as unknown as { epsilon: number; wrt: 'x' | 'gamma' | 'beta' };
        const mode = WRT[wrt];
        if (mode === undefined) throw new Error(`${LAYER_NORM_GRAD_KERNEL}: wrt must be x, gamma or beta (got ${String(wrt)})`);
        const backend = asHeapBackend(b);
        const out = backend.makeOutput(wrt === 'x' ? x.shape : gamma.shape, 'float32');
        addon.layerNormGrad(heapOf(backend), offsetOf(backend, dy), offsetOf(backend, x), offsetOf(backend, gamma), offsetOf(backend, out), mode, rows, cols, epsilon);
        return out;
      },
    },
  ];
}
