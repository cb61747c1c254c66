import * as tf from '@tensorflow/tfjs-core';
import { asHeapBackend, heapOf, offsetOf } from '../heap.js';
import type { NativeKernel } from './kernel-context.js';

/** Op codes of native/binary.cc. */
const OPS: Record<string, number> = {
  [tf.Add]: 0,
  [tf.Sub]: 1,
  [tf.Multiply]: 2,
  [tf.RealDiv]: 3,
  [tf.SquaredDifference]: 4,
  [tf.Maximum]: 5,
  [tf.Minimum]: 6,
};

/** Float32 element-wise binary ops with broadcasting, on every thread; other dtypes go to WASM. */
export const binaryKernels: NativeKernel[] = Object.entries(OPS).map(([kernelName, op]) => ({
  kernelName,
  make: ({ addon, wasmKernel }) => (args) => {
    const { a, b } = args.inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return wasmKernel(args);
    const backend = asHeapBackend(args.backend);
    const out = backend.makeOutput(tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape), 'float32');
    addon.binary(op, heapOf(backend), offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, out), Int32Array.from(a.shape), Int32Array.from(b.shape));
    return out;
  },
}));
