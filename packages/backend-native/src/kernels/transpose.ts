import * as tf from '@tensorflow/tfjs-core';
import { asHeapBackend, heapOf, offsetOf } from '../heap.js';
import type { NativeKernel } from './kernel-context.js';

/** Transpose of float32 and int32 tensors on every thread (attention's head split and merge, gradients). */
export const transposeKernel: NativeKernel = {
  kernelName: tf.Transpose,
  make: ({ addon, wasmKernel }) => (args) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    const { perm } = args.attrs as unknown as { perm: number[] };
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return wasmKernel(args);
    const backend = asHeapBackend(args.backend);
    const out = backend.makeOutput(perm.map((p) => x.shape[p]), x.dtype);
    addon.transpose(heapOf(backend), offsetOf(backend, x), offsetOf(backend, out), Int32Array.from(x.shape), Int32Array.from(perm));
    return out;
  },
};
