import * as tf from '@tensorflow/tfjs-core';
import { ensureKernels } from '@maxpoolbert/core';
import { loadNativeAddon, nativeUnavailableReason } from './addon.js';
import { fusedKernels, NATIVE_KERNELS } from './kernels/index.js';
import { configureThreads, type ThreadChoice } from './threads.js';

/** The tfjs backend name. */
export const NATIVE_BACKEND = 'native';

export interface NativeBackendOptions {
  /** Threads of the one pool (default: every core; OMP_NUM_THREADS, when set, wins). */
  threads?: number;
}

export interface NativeBackendInfo extends ThreadChoice {
  /** E.g. "oneDNN 2.6.3". */
  library: string;
  cores: number;
  /** The kernels run natively; every other kernel is tfjs-backend-wasm's. */
  kernels: string[];
}

/** The kernel names registered under `native` (set once, by the first call). */
let registeredKernels: string[] | null = null;

/**
 * Registers the `native` tfjs backend: a tfjs-backend-wasm instance of its own (tensors live in
 * its heap), with WASM's kernels copied under the name `native` and the heavy ones replaced by
 * the addon's, which work on that heap in place. `wasm` itself is left as it is. Call before
 * `tf.setBackend('native')`; calling again only resizes the thread pool.
 */
export async function registerNativeBackend(opts: NativeBackendOptions = {}): Promise<NativeBackendInfo> {
  const addon = loadNativeAddon();
  if (!addon) throw new Error(`the native backend is not available: ${nativeUnavailableReason()}`);
  const threads = configureThreads(addon, opts.threads);
  if (!registeredKernels) {
    await import('@tensorflow/tfjs-backend-wasm');
    const wasmFactory = tf.findBackendFactory('wasm');
    if (!wasmFactory) throw new Error('tfjs-backend-wasm did not register its backend');
    // Core's fixes for WASM (a sharing Identity, UnsortedSegmentSum) come along with the copy.
    ensureKernels('wasm');
    tf.registerBackend(NATIVE_BACKEND, async () => await wasmFactory(), 1);
    const wasmKernels = new Map(tf.getKernelsForBackend('wasm').map((k) => [k.kernelName, k]));
    for (const k of wasmKernels.values()) tf.registerKernel({ ...k, backendName: NATIVE_BACKEND });
    for (const native of NATIVE_KERNELS) {
      const original = wasmKernels.get(native.kernelName);
      if (!original) throw new Error(`tfjs-backend-wasm has no ${native.kernelName} kernel to fall back to`);
      tf.unregisterKernel(native.kernelName, NATIVE_BACKEND);
      // WASM's setup (binding its C functions to this backend's module) stays: the fallback needs it.
      tf.registerKernel({ ...original, backendName: NATIVE_BACKEND, kernelFunc: native.make({ addon, wasmKernel: original.kernelFunc }) });
    }
    const fused = fusedKernels(addon, NATIVE_BACKEND);
    for (const k of fused) tf.registerKernel(k);
    registeredKernels = [...NATIVE_KERNELS.map((k) => k.kernelName), ...fused.map((k) => k.kernelName)];
  }
  const info = addon.libraryInfo();
  return { ...threads, library: info.library, cores: info.cores, kernels: registeredKernels };
}

/** Threads the pool runs now. */
export function nativeThreads(): number {
  return loadNativeAddon()?.getThreads() ?? 0;
}
