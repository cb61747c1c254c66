import * as tf from '@tensorflow/tfjs-core';
import { ensureKernels, type BackendProvider } from '@maxpoolbert/core';
import { installedVersion } from '../optional-module.js';

/**
 * tfjs's WebAssembly backend (XNNPACK). In Node it runs single-threaded with SIMD, which is
 * about 30× faster than the JS CPU backend. It lacks a few kernels training needs; core's
 * `ensureKernels` supplies them.
 */
export const wasmProvider: BackendProvider = {
  name: 'wasm',
  priority: 30,
  async probe() {
    const simd = WebAssembly.validate(
      // The smallest module using a SIMD instruction (v128.const): validates only with SIMD.
      new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11]),
    );
    return { available: true, detail: simd ? 'WebAssembly SIMD, 1 thread' : 'WebAssembly without SIMD, 1 thread' };
  },
  async activate() {
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs wasm backend failed to initialise');
    await tf.ready();
    ensureKernels('wasm');
    const { detail } = await wasmProvider.probe();
    return { name: 'wasm', tfBackend: 'wasm', device: `CPU (${detail})`, version: installedVersion('@tensorflow/tfjs-backend-wasm') };
  },
};
