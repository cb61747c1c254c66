import { Registry } from '../registry/registry.js';

/** What a backend provider found when asked whether it can run here. */
export interface BackendProbe {
  available: boolean;
  /** Why not, or what it runs on (e.g. "CUDA, 1 GPU", "WASM SIMD, 1 thread"). */
  detail: string;
}

/** What `use…Backend()` reports after choosing. */
export interface BackendInfo {
  /** Our provider name, e.g. "tfjs-node-gpu", "wasm". */
  name: string;
  /** The tfjs backend it registered, e.g. "tensorflow", "wasm", "cpu". */
  tfBackend: string;
  /** What computes: "CUDA GPU", "native CPU", "CPU (WASM SIMD)"... */
  device: string;
  /** Version of the package that provides the backend. */
  version: string;
  /** Threads it computes on, where it runs a pool of its own. */
  threads?: number;
}

/** Settings a provider may apply when it starts (those it has no use for, it ignores). */
export interface ActivateOptions {
  /** CPU threads for backends that run a thread pool (the native CPU backend). */
  threads?: number;
}

/**
 * A way to run tfjs here: backend packages register one per backend they can start, in their
 * preferred order (lower priority first), and `use…Backend()` walks them.
 */
export interface BackendProvider {
  name: string;
  priority: number;
  /** True for backends that are only used when asked for by name (e.g. WebGPU in Node). */
  onRequestOnly?: boolean;
  /** Cheap check: can it be loaded here? Must not throw. */
  probe(): Promise<BackendProbe>;
  /** Loads, registers and selects the backend; throws with an install hint when it cannot. */
  activate(opts?: ActivateOptions): Promise<BackendInfo>;
}

export const backendProviders = new Registry<BackendProvider>('backend');

export function registerBackendProvider(provider: BackendProvider, opts: { override?: boolean } = {}): void {
  backendProviders.register(provider.name, provider, opts);
}

/** Providers in the order they are tried by default. */
export function backendProvidersInOrder(): BackendProvider[] {
  return backendProviders
    .names()
    .map((n) => backendProviders.get(n))
    .sort((a, b) => a.priority - b.priority);
}
