import * as tf from '@tensorflow/tfjs-core';
import { chunkedAddN } from './chunked-add-n.js';
export { DENSE_KERNEL, fusedDense } from './fused-dense.js';
export { gelu, GELU_KERNEL, GELU_GRAD_KERNEL } from './fused-gelu.js';
export { fusedLayerNorm, LAYER_NORM_KERNEL, LAYER_NORM_GRAD_KERNEL } from './fused-layer-norm.js';
import { sharingIdentityKernel } from './sharing-identity.js';
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
 * Kernels that BERT training needs and some backends lack, implement far too slowly, or run
 * wastefully. UnsortedSegmentSum is computed on the host, so it works on every backend (the GPU
 * backends have their own); Identity only shares buffers.
 */
const PATCHES: KernelPatch[] = [
  { kernelName: tf.UnsortedSegmentSum, kernelFunc: unsortedSegmentSumKernel, replaceOn: ['cpu', 'wasm'], fillWhereMissing: true },
  { kernelName: tf.Identity, kernelFunc: sharingIdentityKernel, replaceOn: ['wasm'], fillWhereMissing: false },
];

/** Our wrappers, to recognise them (and never wrap twice). */
const wrappers = new WeakSet<tf.KernelFunc>();

/** Replaces a backend's kernel by a wrapper around it, keeping its setup and dispose functions. */
function wrapKernel(kernelName: string, backendName: string, wrap: (original: tf.KernelFunc) => tf.KernelFunc): boolean {
  const kernel = tf.getKernel(kernelName, backendName);
  if (!kernel || wrappers.has(kernel.kernelFunc)) return false;
  const kernelFunc = wrap(kernel.kernelFunc);
  wrappers.add(kernelFunc);
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ ...kernel, kernelFunc });
  return true;
}

/** Kernels we wrap rather than replace, on the backends where the original fails or is slow for some inputs. */
function wrapKernels(backendName: string): string[] {
  const wrapped: string[] = [];
  if (backendName === 'wasm') {
    const transpose = tf.getKernel(tf.Transpose, backendName);
    if (transpose && wrapKernel(tf.BatchMatMul, backendName, (matmul) => transposingBatchMatMul(matmul, transpose.kernelFunc))) wrapped.push(tf.BatchMatMul);
  }
  if (backendName === 'webgpu' && wrapKernel(tf.AddN, backendName, chunkedAddN)) wrapped.push(tf.AddN);
  return wrapped;
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
