import { createHash } from 'node:crypto';
import type { TrainingArgs } from '../training/checkpoint.js';

/** The one BullMQ queue every compare and worker on a Redis database shares. */
export const QUEUE_NAME = 'maxpoolbert-runs';

/**
 * What a worker needs to train one head × seed run. Paths are absolute and must mean the same on
 * every machine (a shared file system): the run's checkpoints and results.json live in `dir`.
 * No credentials: the job is stored in Redis for everyone with access to read.
 */
export interface RunJobData {
  /** Absolute run folder under the compare's --out. */
  dir: string;
  /** `maxpoolbert train` arguments for a fresh run (a worker finding a checkpoint resumes instead). */
  trainArgv: string[];
  /** "cls seed 2", for log lines. */
  label: string;
  head: string;
  seed: number;
  /** Keep the finished run's checkpoint/ (compare --keep-checkpoints); by default the worker drops it. */
  keepCheckpoints: boolean;
}

/** What a worker reports while a job runs (job.progress). */
export interface RunJobProgress {
  worker: string;
  step: number;
  totalSteps: number;
}

/** What a finished job returns; the full result is the run folder's results.json. */
export interface RunJobResult {
  worker: string;
  mainMetric: string;
  value: number | null;
}

/**
 * The job id of a run: a hash of its folder and every training setting. The same compare started
 * again (after its coordinator died) finds its jobs by id instead of queueing them twice, while a
 * run with other settings, or in another --out, gets another id.
 */
export function runJobId(dir: string, settings: TrainingArgs): string {
  return `run-${createHash('sha256').update(JSON.stringify({ dir, settings })).digest('hex').slice(0, 32)}`;
}
