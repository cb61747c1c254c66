import type { CompareProgress } from '../report/compare-progress.js';
import type { TrainingArgs } from '../training/checkpoint.js';
import { readFinishedRun } from '../training/finished-run.js';
import type { RunResult } from '../training/run-training.js';
import type { PlannedRun } from '../training/train-run-locally.js';
import { runJobId, type RunJobData } from './run-job.js';
import type { RunQueue } from './run-queue.js';

export interface QueuedRunContext {
  queue: RunQueue;
  settings(run: PlannedRun): TrainingArgs;
  freshArgv(run: PlannedRun): string[];
  keepCheckpoints: boolean;
  progress: CompareProgress;
}

/**
 * Has one unfinished compare run trained by a queue worker (`compare --queue`) and resolves
 * with its result, read from its run folder. The job id hashes the folder and the settings, so a
 * coordinator started again attaches to the job it queued before instead of queueing a second.
 */
export async function trainRunOnQueue(run: PlannedRun, c: QueuedRunContext): Promise<RunResult> {
  const data: RunJobData = { dir: run.dir, trainArgv: c.freshArgv(run), label: run.label, head: run.head, seed: run.seed, keepCheckpoints: c.keepCheckpoints };
  try {
    return await c.queue.run(runJobId(run.dir, c.settings(run)), data, {
      queued: () => c.progress.runQueued(run.dir, run.label),
      started: (worker, step) => c.progress.runStarted(run.dir, run.label, step, worker),
      step: (step, totalSteps) => c.progress.step(run.dir, step, totalSteps),
      message: (text) => c.progress.message(text),
    }, () => readFinishedRun(run.dir));
  } catch (err) {
    c.progress.runStopped(run.dir);
    throw err;
  }
}
