import { ADAMW_UPDATE_KERNEL, type AdamWUpdateAttrs } from '@maxpoolbert/core';
import type * as tf from '@tensorflow/tfjs-core';
import { asHeapBackend, heapOf, offsetOf, sizeOf } from '../heap.js';
import type { NativeAddon } from '../addon.js';

/**
 * Core's fused AdamW update (`ADAMW_UPDATE_KERNEL`): one pass over p, m, v and g on every thread,
 * with gradient clipping's factor applied on the way, instead of ~10 parameter-sized tensors per
 * parameter and step. Bit-identical to the composed ops.
 */
export function adamwKernel(addon: NativeAddon, backendName: string): tf.KernelConfig {
  return {
    kernelName: ADAMW_UPDATE_KERNEL,
    backendName,
    kernelFunc: (args) => {
      const { p, m, v, g, scale } = args.inputs as unknown as Record<'p' | 'm' | 'v' | 'g', tf.TensorInfo> & { scale?: tf.TensorInfo };
      const a = args.attrs as unknown as AdamWUpdateAttrs;
      for (const t of [p, m, v, g]) {
        if (t.dtype !== 'float32' || sizeOf(t.shape) !== sizeOf(p.shape)) throw new Error(`${ADAMW_UPDATE_KERNEL}: p, m, v and g must be float32 of one shape`);
      }
      if (scale && (scale.dtype !== 'float32' || sizeOf(scale.shape) !== 1)) throw new Error(`${ADAMW_UPDATE_KERNEL}: scale must be a float32 scalar`);
      const backend = asHeapBackend(args.backend);
      const outs = [backend.makeOutput(p.shape, 'float32'), backend.makeOutput(p.shape, 'float32'), backend.makeOutput(p.shape, 'float32')];
      const [pOut, mOut, vOut] = outs.map((t) => offsetOf(backend, t));
      addon.adamw(heapOf(backend), offsetOf(backend, p), offsetOf(backend, m), offsetOf(backend, v), offsetOf(backend, g), pOut, mOut, vOut, sizeOf(p.shape),
        a.beta1, a.beta2, a.epsilon, a.stepSize, a.bc2Sqrt, a.decayFactor, scale ? offsetOf(backend, scale) : -1);
      return outs;
    },
  };
}
