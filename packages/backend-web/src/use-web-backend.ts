import { chooseBackend, probeBackends, type BackendInfo, type BackendReport } from '@maxpoolbert/core';
import { configureWasm } from './providers/wasm.js';

export interface UseWebBackendOptions {
  /** A backend name ("webgpu", "webgl", "wasm", "cpu") or several, tried in order; "auto" = default order. */
  prefer?: string | string[];
  /** When the preferred backends cannot start, go on down the default order instead of failing. */
  allowFallback?: boolean;
  /**
   * The folder URL the tfjs-backend-wasm `.wasm` binaries are served from (default: next to the
   * page, for an ES module bundle). Used when the wasm backend is first started.
   */
  wasmPaths?: string;
  /** Where fallback notices go (default: console.warn). */
  log?: (message: string) => void;
}

/**
 * Picks and starts a tfjs backend in the browser and says which one runs. Without `prefer`,
 * the fastest one that works here wins (WebGPU, WebGL, WASM, JS CPU). With `prefer`, those are
 * required unless `allowFallback` is set, and a fallback is always announced through `log`.
 */
export async function useWebBackend(opts: UseWebBackendOptions = {}): Promise<BackendInfo> {
  configureWasm({ wasmPaths: opts.wasmPaths });
  return chooseBackend({ prefer: opts.prefer, allowFallback: opts.allowFallback, log: opts.log ?? ((m: string) => console.warn(m)), fallbackHint: 'allowFallback: true' });
}

export type WebBackendReport = BackendReport;

/** Probes every registered backend without starting any (for a "what runs here" panel). */
export async function probeWebBackends(): Promise<WebBackendReport[]> {
  return probeBackends();
}
