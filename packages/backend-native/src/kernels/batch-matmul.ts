import * as tf from '@tensorflow/tfjs-core';
import { asHeapBackend, heapOf, offsetOf } from '../heap.js';
import type { NativeKernel } from './kernel-context.js';

/**
 * BatchMatMul by oneDNN's sgemm on the tensors in place. Transposed operands are passed to the
 * library as flags (BERT's Linear weights are stored [out, in] and every matmul gradient
 * transposes an operand: nothing is copied for them). Batch dimensions broadcast as in NumPy
 * (see native/matmul.cc for the one case where tfjs's CPU and WASM kernels do not).
 */
export const batchMatMulKernel: NativeKernel = {
  kernelName: tf.BatchMatMul,
  make: ({ addon, wasmKernel }) => (args) => {
    const { a, b } = args.inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return wasmKernel(args);
    const ra = a.shape.length, rb = b.shape.length;
    const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const kA = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const kB = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
    const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    if (kA !== kB) {
      throw new Error(`Error in matMul: inner shapes (${kA}) and (${kB}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`);
    }
    const aBatch = a.shape.slice(0, -2), bBatch = b.shape.slice(0, -2);
    const outBatch = tf.backend_util.assertAndGetBroadcastShape(aBatch, bBatch);
    const backend = asHeapBackend(args.backend);
    const out = backend.makeOutput([...outBatch, m, n], 'float32');
    addon.batchMatMul(heapOf(backend), offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, out), Int32Array.from(aBatch), Int32Array.from(bBatch), m, n, kA, transposeA, transposeB);
    return out;
  },
};
