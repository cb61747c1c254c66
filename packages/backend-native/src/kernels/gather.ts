import * as tf from '@tensorflow/tfjs-core';
import { asHeapBackend, heapOf, offsetOf, sizeOf } from '../heap.js';
import type { NativeKernel } from './kernel-context.js';

/** GatherV2 of float32/int32 rows by int32 indices (embedding lookups), rows copied in parallel. */
export const gatherKernel: NativeKernel = {
  kernelName: tf.GatherV2,
  make: ({ addon, wasmKernel }) => (args) => {
    const { x, indices } = args.inputs as unknown as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const { axis, batchDims } = args.attrs as unknown as { axis: number; batchDims: number };
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || indices.dtype !== 'int32' || batchDims !== 0) return wasmKernel(args);
    const ax = tf.util.parseAxisParam(axis, x.shape)[0];
    const outer = sizeOf(x.shape.slice(0, ax)), axisSize = x.shape[ax], inner = sizeOf(x.shape.slice(ax + 1));
    const count = sizeOf(indices.shape);
    const backend = asHeapBackend(args.backend);
    const out = backend.makeOutput([...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)], x.dtype);
    const bad = addon.gather(heapOf(backend), offsetOf(backend, x), offsetOf(backend, indices), offsetOf(backend, out), outer, axisSize, inner, count);
    if (bad >= 0) {
      const value = (args.backend as unknown as { readSync(id: object): Int32Array }).readSync(indices.dataId)[bad];
      backend.disposeData(out.dataId);
      throw new Error(`GatherV2: the index value ${value} is not in [0, ${axisSize - 1}]`);
    }
    return out;
  },
};
