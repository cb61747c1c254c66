import * as path from 'node:path';
import { trainInChild } from './child-run.js';
import type { RunResult } from './run-training.js';
import { tailJsonLog } from './tail-json-log.js';

/** A child run's `--json-log` in its run folder: the parent follows it for progress. */
export const STEP_LOG = 'steps.jsonl';

export interface ChildRunOptions {
  /** The backend the child trains on (`--backend`). */
  backend: string;
  /** Its share of the thread pool (`--threads`), where the backend has one. */
  threads?: number;
  /** Each step of the child, read from its step log. */
  onStep?(step: number, totalSteps: number): void;
  /** Stops the child (SIGTERM: it keeps its last checkpoint). */
  signal?: AbortSignal;
  /** Added to the child's environment; an undefined value removes a variable. */
  env?: Record<string, string | undefined>;
}

/**
 * Trains one compare run in a `maxpoolbert train` child process, following its step log for
 * progress: the code path of `compare --parallel` and of a queue worker (`maxpoolbert worker`),
 * so a run gives the same numbers wherever it is trained. `argv` starts a fresh run (see
 * compare.ts) or is `['--resume', dir]`.
 */
export async function trainRunInChild(dir: string, argv: string[], o: ChildRunOptions): Promise<RunResult> {
  const stepLog = path.join(dir, STEP_LOG);
  const tail = await tailJsonLog(stepLog, (r) => {
    if (r.type === 'step' && typeof r.step === 'number' && typeof r.totalSteps === 'number') o.onStep?.(r.step, r.totalSteps);
  });
  const threadArgs = o.threads ? ['--threads', String(o.threads)] : [];
  try {
    return await trainInChild(dir, [...argv, '--quiet', '--json-log', stepLog, '--backend', o.backend, ...threadArgs], o.signal, o.env);
  } finally {
    await tail.stop();
  }
}
