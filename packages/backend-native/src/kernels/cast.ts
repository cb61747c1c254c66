import * as tf from '@tensorflow/tfjs-core';
import { asHeapBackend, heapOf, offsetOf, sizeOf } from '../heap.js';
import type { NativeKernel } from './kernel-context.js';

/** Dtype codes of native/cast.cc. */
const CODES: Partial<Record<tf.DataType, number>> = { float32: 0, int32: 1, bool: 2 };

interface RefCountingBackend {
  incRef(dataId: object): void;
}

/**
 * Cast between float32, int32 and bool on every thread. A cast to the same dtype shares the
 * input's buffer (as tfjs's CPU backend does) instead of copying it.
 */
export const castKernel: NativeKernel = {
  kernelName: tf.Cast,
  make: ({ addon, wasmKernel }) => (args) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    const { dtype } = args.attrs as unknown as { dtype: tf.DataType };
    const from = CODES[x.dtype], to = CODES[dtype];
    if (from === undefined || to === undefined) return wasmKernel(args);
    if (from === to) {
      (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype };
    }
    const backend = asHeapBackend(args.backend);
    const out = backend.makeOutput(x.shape, dtype);
    addon.cast(heapOf(backend), offsetOf(backend, x), offsetOf(backend, out), sizeOf(x.shape), from, to);
    return out;
  },
};
