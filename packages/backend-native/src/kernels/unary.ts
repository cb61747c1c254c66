import * as tf from '@tensorflow/tfjs-core';
import { asHeapBackend, heapOf, offsetOf, sizeOf } from '../heap.js';
import type { NativeKernel } from './kernel-context.js';

/** Op codes of native/unary.cc. */
const OPS: Record<string, number> = {
  [tf.Exp]: 0,
  [tf.Erf]: 1,
  [tf.Tanh]: 2,
  [tf.Sqrt]: 3,
  [tf.Rsqrt]: 4,
  [tf.Square]: 5,
  [tf.Neg]: 6,
  [tf.Log]: 7,
  [tf.Relu]: 8,
  [tf.Reciprocal]: 9,
  [tf.Abs]: 10,
  [tf.Sigmoid]: 11,
};

/** Float32 element-wise functions on every thread (vectorised exp and erf); other dtypes go to WASM. */
export const unaryKernels: NativeKernel[] = Object.entries(OPS).map(([kernelName, op]) => ({
  kernelName,
  make: ({ addon, wasmKernel }) => (args) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    if (x.dtype !== 'float32') return wasmKernel(args);
    const backend = asHeapBackend(args.backend);
    const out = backend.makeOutput(x.shape, 'float32');
    addon.unary(op, heapOf(backend), offsetOf(backend, x), offsetOf(backend, out), sizeOf(x.shape));
    return out;
  },
}));
