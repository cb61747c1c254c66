import * as tf from '@tensorflow/tfjs-core';
import { asHeapBackend, offsetOf, sizeOf } from '../heap.js';
import type { NativeKernel } from './kernel-context.js';

/** Bytes per element of the dtypes sliced here (strings and complex go to WASM's kernel). */
const ELEMENT_BYTES: Partial<Record<tf.DataType, number>> = { float32: 4, int32: 4, bool: 1 };

/**
 * Slice as copies inside the heap. tfjs-backend-wasm 4.22's Slice first reads the whole input out
 * of the heap (`readSync` copies it), so taking 16 rows of BERT's 512 position embeddings copied
 * all 512 (1.5 MB, ~1 ms) and taking [CLS] copied every token's vector: a few % of a short
 * input's forward. This copies only the slice, one `copyWithin` per contiguous run.
 */
export const sliceKernel: NativeKernel = {
  kernelName: tf.Slice,
  make: ({ wasmKernel }) => (args) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    const { begin, size } = args.attrs as unknown as { begin: number | number[]; size?: number | number[] };
    const bytes = ELEMENT_BYTES[x.dtype];
    const rank = x.shape.length;
    if (bytes === undefined || rank === 0) return wasmKernel(args);
    const [start, extent] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
    const backend = asHeapBackend(args.backend);
    const out = backend.makeOutput(extent, x.dtype);
    if (sizeOf(extent) === 0) return out;
    const heap = backend.wasm.HEAPU8; // read after makeOutput: an allocation may have grown (replaced) it
    const strides = [...tf.util.computeStrides(x.shape), 1];
    // The innermost contiguous run: the last axis, extended outwards over every axis taken whole.
    let k = rank - 1;
    let run = extent[k];
    while (k > 0 && extent[k] === x.shape[k]) run *= extent[--k];
    const runBytes = run * bytes;
    const src = offsetOf(backend, x) + start[k] * strides[k] * bytes;
    let dst = offsetOf(backend, out);
    // Every index of the outer axes 0..k-1, in row-major order.
    const index = new Array<number>(k).fill(0);
    for (;;) {
      let from = src;
      for (let i = 0; i < k; i++) from += (start[i] + index[i]) * strides[i] * bytes;
      heap.copyWithin(dst, from, from + runBytes);
      dst += runBytes;
      let axis = k - 1;
      while (axis >= 0 && ++index[axis] === extent[axis]) index[axis--] = 0;
      if (axis < 0) break;
    }
    return out;
  },
};
