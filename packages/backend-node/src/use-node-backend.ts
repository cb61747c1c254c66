import {
  backendProviders,
  backendProvidersInOrder,
  MaxPoolBertError,
  type BackendInfo,
  type BackendProbe,
  type BackendProvider,
} from '@maxpoolbert/core';

export interface UseNodeBackendOptions {
  /** A backend name ("tfjs-node-gpu", "tfjs-node", "wasm", "cpu", ...) or several, tried in order; "auto" = default order. */
  prefer?: string | string[];
  /** When the preferred backends cannot start, go on down the default order instead of failing. */
  allowFallback?: boolean;
  /** Where fallback notices go (default: stderr). */
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
 * Picks and starts a tfjs backend for Node. Without `prefer`, the fastest one that works here
 * wins (CUDA, native CPU, WASM, JS CPU). With `prefer`, those are required unless
 * `allowFallback` is set, and a fallback is always announced: a silent CPU fallback would
 * make a "GPU" run quietly 50× slower.
 */
export async function useNodeBackend(opts: UseNodeBackendOptions = {}): Promise<BackendInfo> {
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
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
      // Without `prefer`, skipping what is not installed is normal; skipping one that is (e.g.
      // tfjs-node-gpu without CUDA) is a fallback too.
      if (preferred ? !explicit : activationFailed) log(`note: falling back to the ${info.name} backend (${failures.join('; ')})`);
      return info;
    } catch (err) {
      failures.push(`${provider.name}: ${(err as Error).message}`);
      activationFailed = true;
    }
  }
  const wanted = preferred ? preferred.map((p) => p.name).join(', ') : 'any backend';
  throw new MaxPoolBertError(
    `could not start ${wanted}: ${failures.join('; ')}${strict ? ' (pass allowFallback / --allow-fallback to use the next backend instead)' : ''}`,
  );
}

export interface BackendReport extends BackendProbe {
  name: string;
  /** Whether `useNodeBackend()` without options would pick it (the first available one). */
  defaultChoice: boolean;
  onRequestOnly: boolean;
}

/** Probes every registered backend without starting any (for `maxpoolbert info`). */
export async function probeNodeBackends(): Promise<BackendReport[]> {
  const reports: BackendReport[] = [];
  let chosen = false;
  for (const provider of backendProvidersInOrder()) {
    const probe = await provider.probe();
    const defaultChoice: boolean = !chosen && probe.available && !provider.onRequestOnly;
    chosen ||= defaultChoice;
    reports.push({ name: provider.name, ...probe, defaultChoice, onRequestOnly: !!provider.onRequestOnly });
  }
  return reports;
}
