import * as tf from '@tensorflow/tfjs-core';
import { asHeapBackend, heapOf, offsetOf, sizeOf } from '../heap.js';
import type { NativeKernel } from './kernel-context.js';

/** Op codes of native/reduce.cc. */
const OPS: Record<string, number> = { [tf.Sum]: 0, [tf.Mean]: 1, [tf.Max]: 2, [tf.Min]: 3 };

/**
 * x viewed as [outer, n, inner] when the reduced axes are one contiguous block (every reduction
 * BERT makes: LayerNorm over the last axis, bias gradients over the leading ones); null otherwise.
 */
export function reductionBlock(shape: readonly number[], axes: number[]): { outer: number; n: number; inner: number } | null {
  const sorted = [...new Set(axes)].sort((p, q) => p - q);
  if (sorted.length === 0) return { outer: sizeOf(shape), n: 1, inner: 1 };
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1] + 1) return null;
  const first = sorted[0], last = sorted[sorted.length - 1];
  return { outer: sizeOf(shape.slice(0, first)), n: sizeOf(shape.slice(first, last + 1)), inner: sizeOf(shape.slice(last + 1)) };
}

/** Float32 Sum, Mean, Max and Min over a contiguous block of axes; anything else goes to WASM. */
export const reduceKernels: NativeKernel[] = Object.entries(OPS).map(([kernelName, op]) => ({
  kernelName,
  make: ({ addon, wasmKernel }) => (args) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    // Max names its axes `reductionIndices`; Sum, Mean and Min name them `axis`.
    const { axis, reductionIndices, keepDims } = args.attrs as unknown as { axis?: number | number[]; reductionIndices?: number | number[]; keepDims: boolean };
    if (x.dtype !== 'float32') return wasmKernel(args);
    const axes = tf.util.parseAxisParam(((kernelName === tf.Max ? reductionIndices : axis) ?? null) as number[], x.shape);
    const block = reductionBlock(x.shape, axes);
    if (!block) return wasmKernel(args);
    const outShape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
    const backend = asHeapBackend(args.backend);
    const out = backend.makeOutput(outShape, 'float32');
    addon.reduce(op, heapOf(backend), offsetOf(backend, x), offsetOf(backend, out), block.outer, block.n, block.inner);
    return out;
  },
}));
