import { chooseBackend, probeBackends, type BackendInfo, type BackendReport } from '@maxpoolbert/core';

export interface UseNodeBackendOptions {
  /** A backend name ("tfjs-node-gpu", "tfjs-node", "native", "wasm", "cpu", "webgpu") or several, tried in order; "auto" = default order. */
  prefer?: string | string[];
  /** When the preferred backends cannot start, go on down the default order instead of failing. */
  allowFallback?: boolean;
  /** CPU threads of the native backend (default: every core; OMP_NUM_THREADS, when set, wins). */
  threads?: number;
  /** Where fallback notices go (default: stderr). */
  log?: (message: string) => void;
}

/**
 * Picks and starts a tfjs backend for Node. Without `prefer`, the fastest one that works here
 * wins (CUDA, libtensorflow, native CPU, WASM, JS CPU); WebGPU (Dawn) only when named. With `prefer`, those are
 * required unless `allowFallback` is set, and a fallback is always announced.
 */
export async function useNodeBackend(opts: UseNodeBackendOptions = {}): Promise<BackendInfo> {
  return chooseBackend({
    ...opts,
    log: opts.log ?? ((m: string) => process.stderr.write(`${m}\n`)),
    fallbackHint: 'allowFallback / --allow-fallback',
  });
}

export type { BackendReport };

/** Probes every registered backend without starting any (for `maxpoolbert info`). */
export async function probeNodeBackends(): Promise<BackendReport[]> {
  return probeBackends();
}
