import type * as tf from '@tensorflow/tfjs-core';
import type { NativeAddon } from '../addon.js';

/** What a native kernel is built from: the addon, and the WASM kernel it replaces (for the inputs it does not handle). */
export interface KernelContext {
  addon: NativeAddon;
  /** The WASM kernel of the same name (e.g. for int32 inputs). */
  wasmKernel: tf.KernelFunc;
}

/** A native kernel: a tfjs kernel name and how to build its function. */
export interface NativeKernel {
  kernelName: string;
  make(ctx: KernelContext): tf.KernelFunc;
}
