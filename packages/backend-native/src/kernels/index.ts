import type * as tf from '@tensorflow/tfjs-core';
import type { NativeAddon } from '../addon.js';
import { adamwKernel } from './adamw.js';
import { batchMatMulKernel } from './batch-matmul.js';
import { binaryKernels } from './binary.js';
import { castKernel } from './cast.js';
import { denseKernel } from './dense.js';
import { gatherKernel } from './gather.js';
import { geluKernels } from './gelu.js';
import type { NativeKernel } from './kernel-context.js';
import { layerNormKernels } from './layer-norm.js';
import { reduceKernels } from './reduce.js';
import { unsortedSegmentSumKernel } from './segment-sum.js';
import { sliceKernel } from './slice.js';
import { softmaxKernel } from './softmax.js';
import { transposeKernel } from './transpose.js';
import { unaryKernels } from './unary.js';

/** Every WASM kernel the native backend replaces (each falls back to WASM's for inputs it does not handle). */
export const NATIVE_KERNELS: NativeKernel[] = [
  batchMatMulKernel, ...binaryKernels, ...unaryKernels, ...reduceKernels, softmaxKernel, transposeKernel, gatherKernel, sliceKernel, castKernel, unsortedSegmentSumKernel,
];

/** Core's fused kernels (no WASM equivalent: core composes them from ops on other backends). */
export function fusedKernels(addon: NativeAddon, backendName: string): tf.KernelConfig[] {
  return [adamwKernel(addon, backendName), denseKernel(addon, backendName), ...geluKernels(addon, backendName), ...layerNormKernels(addon, backendName)];
}

export type { KernelContext, NativeKernel } from './kernel-context.js';
