import * as tf from '@tensorflow/tfjs-core';
import { asHeapBackend, heapOf, offsetOf, sizeOf } from '../heap.js';
import type { NativeKernel } from './kernel-context.js';

/** Softmax over the last axis (attention probabilities), rows in parallel. */
export const softmaxKernel: NativeKernel = {
  kernelName: tf.Softmax,
  make: ({ addon, wasmKernel }) => (args) => {
    const { logits } = args.inputs as unknown as { logits: tf.TensorInfo };
    const { dim } = args.attrs as unknown as { dim: number };
    const rank = logits.shape.length;
    if (logits.dtype !== 'float32' || rank === 0 || (dim !== -1 && dim !== rank - 1)) return wasmKernel(args);
    const backend = asHeapBackend(args.backend);
    const out = backend.makeOutput(logits.shape, 'float32');
    const cols = logits.shape[rank - 1];
    addon.softmax(heapOf(backend), offsetOf(backend, logits), offsetOf(backend, out), cols === 0 ? 0 : sizeOf(logits.shape) / cols, cols);
    return out;
  },
};
