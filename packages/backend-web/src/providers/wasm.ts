import * as tf from '@tensorflow/tfjs-core';
import { ensureKernels, type BackendProbe, type BackendProvider } from '@maxpoolbert/core';
import { selectRegisteredBackend } from './activate.js';

/** Settings `useWebBackend` passes down before walking the providers. */
const settings: { wasmPaths?: string } = {};

/**
 * Where the `.wasm` binaries are served (a folder URL). Without it, tfjs looks next to the
 * classic `<script>` that loaded it, or, from an ES module bundle, next to the page. Takes
 * effect when the wasm backend first starts.
 */
export function configureWasm(opts: { wasmPaths?: string }): void {
  if (opts.wasmPaths !== undefined) settings.wasmPaths = opts.wasmPaths;
}

// The smallest module using a SIMD instruction (v128.const): validates only with SIMD.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11]);

/**
 * Threads need SharedArrayBuffer, which browsers give only to cross-origin isolated pages
 * (served with `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`).
 */
function threadsAllowed(): boolean {
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true && typeof SharedArrayBuffer !== 'undefined';
}

const HINT =
  'serve the .wasm files (copy node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm next to your page or bundle) and pass wasmPaths with the folder URL that holds them';

/** tfjs's WebAssembly backend (XNNPACK): fast on CPUs, multi-threaded on cross-origin isolated pages. */
export const wasmProvider: BackendProvider = {
  name: 'wasm',
  priority: 30,
  async probe(): Promise<BackendProbe> {
    if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') {
      return { available: false, detail: 'no WebAssembly in this browser' };
    }
    let simd = false;
    try {
      simd = WebAssembly.validate(SIMD_PROBE);
    } catch {
      simd = false;
    }
    const threads = threadsAllowed()
      ? 'multi-threaded'
      : 'threads off (the page is not cross-origin isolated)';
    return { available: true, detail: `WebAssembly${simd ? ' SIMD' : ' without SIMD'}, ${threads}` };
  },
  async activate() {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (settings.wasmPaths) {
      // tfjs appends the file name to the prefix as is.
      wasm.setWasmPaths(settings.wasmPaths.endsWith('/') ? settings.wasmPaths : `${settings.wasmPaths}/`);
    }
    // tfjs turns threads on whenever SharedArrayBuffer can be posted; only do so where the page
    // is cross-origin isolated, the one case where the threaded binary can really start.
    if (!threadsAllowed()) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    await selectRegisteredBackend('wasm', '@tensorflow/tfjs-backend-wasm', HINT);
    ensureKernels('wasm');
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    let threads = 1;
    try {
      threads = Math.max(1, wasm.getThreadsCount());
    } catch {
      // Not reported before the backend has started; 1 is what runs without threads.
    }
    return {
      name: 'wasm',
      tfBackend: 'wasm',
      device: `CPU (WebAssembly${simd ? ' SIMD' : ''}, ${threads} thread${threads === 1 ? '' : 's'})`,
      version: wasm.version_wasm,
    };
  },
};
