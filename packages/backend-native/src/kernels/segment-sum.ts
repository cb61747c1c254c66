import * as tf from '@tensorflow/tfjs-core';
import { asHeapBackend, heapOf, offsetOf, sizeOf } from '../heap.js';
import type { NativeKernel } from './kernel-context.js';

/**
 * UnsortedSegmentSum of float32 rows by int32 ids (the embedding gradient) in the heap, on every
 * thread; core's host kernel (which WASM uses) copies both inputs out of the heap first.
 */
export const unsortedSegmentSumKernel: NativeKernel = {
  kernelName: tf.UnsortedSegmentSum,
  make: ({ addon, wasmKernel }) => (args) => {
    const { x, segmentIds } = args.inputs as unknown as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
    const { numSegments } = args.attrs as unknown as { numSegments: number };
    if (x.dtype !== 'float32' || segmentIds.dtype !== 'int32') return wasmKernel(args);
    const rows = sizeOf(segmentIds.shape);
    const rest = x.shape.slice(segmentIds.shape.length);
    const backend = asHeapBackend(args.backend);
    const out = backend.makeOutput([numSegments, ...rest], 'float32');
    addon.unsortedSegmentSum(heapOf(backend), offsetOf(backend, x), offsetOf(backend, segmentIds), offsetOf(backend, out), rows, sizeOf(rest), numSegments);
    return out;
  },
};
