import type { NativeAddon } from './addon.js';

/** Environment variables that size the thread pool; set by the user, they are never overridden. */
export const THREAD_ENV_VARS = ['OMP_NUM_THREADS'] as const;

export interface ThreadChoice {
  threads: number;
  /** Where the count came from. */
  source: 'option' | 'environment' | 'default';
  /** Set when a requested count was not applied, and why. */
  note?: string;
}

/**
 * Sizes the one thread pool (OpenMP's, shared by oneDNN and our loops). OMP_NUM_THREADS, when the
 * user set it, wins: OpenMP has read it already and we never override it (a `threads` request
 * that differs gets a note). Otherwise `threads`, or every core this process may use.
 */
export function configureThreads(addon: NativeAddon, requested: number | undefined, env: NodeJS.ProcessEnv = process.env): ThreadChoice {
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 1)) {
    throw new RangeError(`threads must be a whole number ≥ 1 (got ${requested})`);
  }
  const fromEnv = THREAD_ENV_VARS.find((name) => env[name] !== undefined && env[name] !== '');
  if (fromEnv) {
    const threads = addon.getThreads();
    const note = requested !== undefined && requested !== threads ? `threads ${requested} not applied: ${fromEnv}=${env[fromEnv]} is set and is respected` : undefined;
    return { threads, source: 'environment', ...(note ? { note } : {}) };
  }
  if (requested !== undefined) return { threads: addon.setThreads(requested), source: 'option' };
  return { threads: addon.setThreads(addon.libraryInfo().cores), source: 'default' };
}
