import * as tf from '@tensorflow/tfjs-core';
import { readInput, writeOutput } from './host-kernel.js';

/**
 * UnsortedSegmentSum in one pass over the input. The embedding gradient (the gradient of
 * `gather`) is this op with numSegments = vocabulary size. WASM has no such kernel at all, and
 * the JS CPU backend's builds one masked sum per segment, O(vocab × tokens × hidden), which takes
 * minutes per step for a 30k vocabulary. This one is O(tokens × hidden).
 */
export const unsortedSegmentSumKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as unknown as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (attrs as unknown as { numSegments: number }).numSegments;
  const values = readInput(backend, x);
  const ids = readInput(backend, segmentIds);
  const inner = x.shape.slice(segmentIds.shape.length).reduce((a, c) => a * c, 1);
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const dtype = x.dtype === 'int32' ? 'int32' : 'float32';
  return writeOutput(backend, outShape, dtype, (out) => {
    for (let i = 0; i < ids.length; i++) {
      const seg = ids[i];
      if (seg < 0 || seg >= numSegments) continue; // TensorFlow drops out-of-range ids too
      const src = i * inner;
      const dst = seg * inner;
      for (let j = 0; j < inner; j++) out[dst + j] += values[src + j];
    }
  });
};
