import { MaxPoolBertError } from '../errors.js';
import { backendProviders, backendProvidersInOrder, type ActivateOptions, type BackendInfo, type BackendProbe, type BackendProvider } from './registry.js';

export interface ChooseBackendOptions extends ActivateOptions {
  /** A provider name or several, tried in order; "auto" or nothing = the default order. */
  prefer?: string | string[];
  /** When the preferred backends cannot start, go on down the default order instead of failing. */
  allowFallback?: boolean;
  /** Where fallback notices go. */
  log: (message: string) => void;
  /** How the caller spells allowFallback, for the error message (e.g. "allowFallback / --allow-fallback"). */
  fallbackHint?: string;
}

/** A message from anything thrown (tfjs-backend-wasm rejects with plain `{ message }` objects). */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') {
    return (err as { message: string }).message;
  }
  return String(err);
}

function defaultOrder(): BackendProvider[] {
  return backendProvidersInOrder().filter((p) => !p.onRequestOnly);
}

function preferredProviders(prefer: string | string[] | undefined): BackendProvider[] | null {
  const names = (Array.isArray(prefer) ? prefer : prefer ? [prefer] : []).filter((n) => n && n !== 'auto');
  return names.length ? names.map((n) => backendProviders.get(n)) : null;
}

/**
 * Walks the registered providers and starts the first that works (what `useNodeBackend()` and
 * `useWebBackend()` do). Without `prefer`, the fastest one that works wins. With `prefer`, those
 * are required unless `allowFallback` is set, and a fallback is always announced: a silent CPU
 * fallback would make a "GPU" run quietly 50× slower.
 */
export async function chooseBackend(opts: ChooseBackendOptions): Promise<BackendInfo> {
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
      const info = await provider.activate({ threads: opts.threads });
      // Without `prefer`, skipping what is not there is normal; skipping one that is there but
      // fails to start (tfjs-node-gpu without CUDA, a WebGPU device that cannot be created) is a
      // fallback too.
      if (preferred ? !explicit : activationFailed) opts.log(`note: falling back to the ${info.name} backend (${failures.join('; ')})`);
      return info;
    } catch (err) {
      failures.push(`${provider.name}: ${errorMessage(err)}`);
      activationFailed = true;
    }
  }
  const wanted = preferred ? preferred.map((p) => p.name).join(', ') : 'any backend';
  const hint = strict ? ` (pass ${opts.fallbackHint ?? 'allowFallback'} to use the next backend instead)` : '';
  throw new MaxPoolBertError(`could not start ${wanted}: ${failures.join('; ')}${hint}`);
}

export interface BackendReport extends BackendProbe {
  name: string;
  /** Whether choosing without `prefer` would pick it (the first available one). */
  defaultChoice: boolean;
  onRequestOnly: boolean;
}

/** Probes every registered backend without starting any. */
export async function probeBackends(): Promise<BackendReport[]> {
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
