import * as tf from '@tensorflow/tfjs-core';
import { transposingBatchMatMul } from './transposing-batch-matmul.js';
import { unsortedSegmentSumKernel } from './unsorted-segment-sum.js';

interface KernelPatch {
  kernelName: string;
  kernelFunc: tf.KernelFunc;
  /** Backends that get this kernel, replacing theirs when they have one. */
  replaceOn: string[];
  /** Whether to add it to any other backend that lacks the kernel. */
  fillWhereMissing: boolean;
}

/**
 * Kernels that BERT training needs and some backends lack (or implement far too slowly). They
 * are computed on the host, so they work on every backend; the GPU backends have their own.
 */
const PATCHES: KernelPatch[] = [
  { kernelName: tf.UnsortedSegmentSum, kernelFunc: unsortedSegmentSumKernel, replaceOn: ['cpu', 'wasm'], fillWhereMissing: true },
];

/** Our wrappers, to recognise them (and never wrap twice). */
const wrappers = new WeakSet<tf.KernelFunc>();

/**
 * Kernels we wrap rather than replace, on the backends where the original is slow for some
 * attributes. The original's setup and dispose functions are kept.
 */
function wrapKernels(backendName: string): string[] {
  if (backendName !== 'wasm') return [];
  const matmul = tf.getKernel(tf.BatchMatMul, backendName);
  const transpose = tf.getKernel(tf.Transpose, backendName);
  if (!matmul || !transpose || wrappers.has(matmul.kernelFunc)) return [];
  const kernelFunc = transposingBatchMatMul(matmul.kernelFunc, transpose.kernelFunc);
  wrappers.add(kernelFunc);
  tf.unregisterKernel(tf.BatchMatMul, backendName);
  tf.registerKernel({ ...matmul, kernelFunc });
  return [tf.BatchMatMul];
}

/** Registers our kernels for `backendName`; call it once the backend is registered. Idempotent. */
export function ensureKernels(backendName: string): string[] {
  const added: string[] = wrapKernels(backendName);
  for (const patch of PATCHES) {
    const existing = tf.getKernel(patch.kernelName, backendName);
    if (existing?.kernelFunc === patch.kernelFunc) continue;
    const replace = patch.replaceOn.includes(backendName);
    if (existing && !replace) continue;
    if (!existing && !replace && !patch.fillWhereMissing) continue;
    if (existing) tf.unregisterKernel(patch.kernelName, backendName);
    tf.registerKernel({ kernelName: patch.kernelName, backendName, kernelFunc: patch.kernelFunc });
    added.push(patch.kernelName);
  }
  return added;
}
