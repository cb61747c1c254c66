import {
  backendProviders,
  backendProvidersInOrder,
  MaxPoolBertError,
  type BackendInfo,
  type BackendProbe,
  type BackendProvider,
} from '@maxpoolbert/core';
import { describe } from './providers/activate.js';
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

function defaultOrder(): BackendProvider[] {
  return backendProvidersInOrder().filter((p) => !p.onRequestOnly);
}

function preferredProviders(prefer: string | string[] | undefined): BackendProvider[] | null {
  const names = (Array.isArray(prefer) ? prefer : prefer ? [prefer] : []).filter((n) => n && n !== 'auto');
  return names.length ? names.map((n) => backendProviders.get(n)) : null;
}

/**
 * Picks and starts a tfjs backend in the browser and says which one runs. Without `prefer`,
 * the fastest one that works here wins (WebGPU, WebGL, WASM, JS CPU). With `prefer`, those are
 * required unless `allowFallback` is set, and a fallback is always announced through `log`:
 * a silent CPU fallback would make a "GPU" run quietly 50× slower.
 */
export async function useWebBackend(opts: UseWebBackendOptions = {}): Promise<BackendInfo> {
  const log = opts.log ?? ((m: string) => console.warn(m));
  configureWasm({ wasmPaths: opts.wasmPaths });
  const preferred = preferredProviders(opts.prefer);
  const strict = preferred !== null && !opts.allowFallback;
  const candidates = preferred ? [...preferred, ...(strict ? [] : defaultOrder().filter((p) => !preferred.includes(p)))] : defaultOrder();

  const failures: string[] = [];
  let activationFailed = false;
  for (const provider of candidates) {
    const explicit = preferred?.includes(provider) ?? false;
    const probe = await provider.probe();
    if (!probe.available) {
      failures.push(`${provider.name}: ${probe.detail}`);
      continue;
    }
    try {
      const info = await provider.activate();
      // Without `prefer`, skipping what this browser lacks is normal; a backend that is there
      // but fails to start (e.g. a WebGPU device that cannot be created) is a fallback too.
      if (preferred ? !explicit : activationFailed) log(`note: falling back to the ${info.name} backend (${failures.join('; ')})`);
      return info;
    } catch (err) {
      failures.push(`${provider.name}: ${describe(err)}`);
      activationFailed = true;
    }
  }
  const wanted = preferred ? preferred.map((p) => p.name).join(', ') : 'any backend';
  throw new MaxPoolBertError(
    `could not start ${wanted}: ${failures.join('; ')}${strict ? ' (pass allowFallback: true to use the next backend instead)' : ''}`,
  );
}

export interface WebBackendReport extends BackendProbe {
  name: string;
  /** Whether `useWebBackend()` without options would pick it (the first available one). */
  defaultChoice: boolean;
  onRequestOnly: boolean;
}

/** Probes every registered backend without starting any (for a "what runs here" panel). */
export async function probeWebBackends(): Promise<WebBackendReport[]> {
  const reports: WebBackendReport[] = [];
  let chosen = false;
  for (const provider of backendProvidersInOrder()) {
    const probe = await provider.probe();
    const defaultChoice: boolean = !chosen && probe.available && !provider.onRequestOnly;
    chosen ||= defaultChoice;
    reports.push({ name: provider.name, ...probe, defaultChoice, onRequestOnly: !!provider.onRequestOnly });
  }
  return reports;
}
