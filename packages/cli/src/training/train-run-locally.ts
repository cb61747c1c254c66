import type { BackendInfo } from '@maxpoolbert/core';
import type { CliIo } from '../command.js';
import type { CompareProgress } from '../report/compare-progress.js';
import { readCheckpoint, type TrainingArgs } from './checkpoint.js';
import type { LoadedData } from './data-source.js';
import { runTraining, type RunResult } from './run-training.js';
import { trainRunInChild } from './train-run-in-child.js';

/** One head × seed run of a compare. */
export interface PlannedRun {
  head: string;
  seed: number;
  /** Absolute run folder, OUT/runs/<head>/seed-<n>. */
  dir: string;
  label: string;
}

export interface LocalRunContext {
  io: CliIo;
  backend: Pick<BackendInfo, 'name' | 'threads'>;
  /** Train in a `train` child process (compare --parallel N > 1), with this share of the thread pool. */
  inChild: boolean;
  childThreads?: number;
  /** The compare's data, loaded once for every in-process run. */
  data: LoadedData;
  settings(run: PlannedRun): TrainingArgs;
  /** `train` arguments of the run when it starts fresh in a child. */
  freshArgv(run: PlannedRun): string[];
  progress: CompareProgress;
}

/**
 * Trains (or resumes from its checkpoint) one unfinished compare run on this machine: in this
 * process, or in a `train` child with --parallel, the code path queue workers use too.
 */
export async function trainRunLocally(run: PlannedRun, c: LocalRunContext, signal: AbortSignal): Promise<RunResult> {
  const checkpoint = await readCheckpoint(run.dir); // under the compare's lock: puts back folders a kill left aside
  c.progress.runStarted(run.dir, run.label, checkpoint?.state.step ?? 0);
  if (checkpoint) c.progress.message(`resuming ${run.label} at step ${checkpoint.state.step}/${checkpoint.state.totalSteps}`);
  const onStep = (step: number, totalSteps: number) => c.progress.step(run.dir, step, totalSteps);
  try {
    if (c.inChild) {
      return await trainRunInChild(run.dir, checkpoint ? ['--resume', run.dir] : c.freshArgv(run), { backend: c.backend.name, threads: c.childThreads, onStep, signal });
    }
    return await runTraining(run.dir, checkpoint ? null : c.settings(run), {
      io: c.io, quiet: true, backend: c.backend.name, threads: c.backend.threads, data: c.data, onStep: (p) => onStep(p.step, p.totalSteps),
    });
  } catch (err) {
    c.progress.runStopped(run.dir);
    throw err;
  }
}
