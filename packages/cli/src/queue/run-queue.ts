import { Queue, type Job } from 'bullmq';
import { MaxPoolBertError } from '@maxpoolbert/core';
import type { RunResult } from '../training/run-training.js';
import type { RedisTarget } from './redis-connection.js';
import { QUEUE_NAME, type RunJobData, type RunJobProgress, type RunJobResult } from './run-job.js';

/** How often a waiting coordinator looks at each of its jobs (state, progress, vanished jobs). */
const POLL_MS = 500;

const DAY_S = 24 * 3600;

/**
 * Job settings. A crash (a worker killed, a child killed by a signal, a worker cut off from
 * Redis) is retried by the next free worker, which resumes from the run's last checkpoint: up
 * to 5 attempts, 2 s apart (a worker killed outright is BullMQ's "stalled" case, counted apart:
 * the worker's maxStalledCount). A run that failed on its own (bad data, NaN loss) fails at once
 * with its error: the worker throws UnrecoverableError. Finished jobs are kept a day and failed
 * ones a week, for `redis-cli` inspection; nothing depends on them: results live in the run
 * folders, and a restarted coordinator finds a job by its id or queues it again.
 */
const JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'fixed', delay: 2000 },
  removeOnComplete: { age: DAY_S },
  removeOnFail: { age: 7 * DAY_S },
} as const;

export interface QueuedRunCallbacks {
  /** The run waits for a worker (queued, or back in the queue after its worker died). */
  queued(): void;
  /** A worker took the run (again, after a retry), starting at `step`. */
  started(worker: string, step: number): void;
  step(step: number, totalSteps: number): void;
  /** A note for the progress output (a retry, a job queued again). */
  message(text: string): void;
}

/** A run that a worker reported failed (its own error, or too many attempts). */
export class QueuedRunFailure extends MaxPoolBertError {}

/**
 * The coordinator's side of a distributed compare: puts runs on the BullMQ queue and waits for
 * them. Results are read from the run folders (the shared file system), never only from Redis,
 * so a Redis that restarted without persistence loses no finished run: a job that vanished is
 * checked against its folder and queued again only when unfinished.
 */
export class RunQueue {
  private readonly queue: Queue<RunJobData, RunJobResult>;
  /** While Redis is out of reach: said once, and once when it is back. */
  private outage = false;

  constructor(private readonly target: RedisTarget, private readonly note: (text: string) => void) {
    this.queue = new Queue<RunJobData, RunJobResult>(QUEUE_NAME, { connection: target.options });
    // ioredis reconnects by itself (and commands wait for it): say once that Redis is gone.
    this.queue.on('error', (err) => this.unreachable(err));
  }

  /**
   * Queues the run under `jobId` (or re-attaches to the job of that id already queued or running:
   * a coordinator started again) and resolves with its result once a worker finished it.
   * `finishedOnDisk` reads the run's results.json when its folder says it is finished.
   */
  async run(jobId: string, data: RunJobData, cb: QueuedRunCallbacks, finishedOnDisk: () => Promise<RunResult | null>): Promise<RunResult> {
    const early = await this.attach(jobId, data, cb, finishedOnDisk);
    if (early) return early;
    cb.queued();
    let attempt = -1;
    let active = false;
    let lastStep = -1;
    for (;;) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      let job: Job<RunJobData, RunJobResult> | undefined;
      let state: string;
      try {
        job = await this.queue.getJob(jobId);
        state = job ? await job.getState() : 'missing';
        this.reachable();
      } catch (err) {
        this.unreachable(err as Error);
        continue; // ioredis reconnects; look again
      }
      if (state === 'missing' || state === 'unknown') {
        // Removed (Redis restarted without persistence, flushed, or the finished job expired):
        // the run folder knows whether it finished.
        const done = await finishedOnDisk();
        if (done) return done;
        cb.message(`${data.label}: its job is no longer in Redis; queued again`);
        const again = await this.attach(jobId, data, cb, finishedOnDisk).catch(() => null);
        if (again) return again;
        active = false;
        cb.queued();
        continue;
      }
      if (state === 'completed') {
        const done = await finishedOnDisk();
        if (done) return done;
        throw new QueuedRunFailure(`${data.label}: ${job!.returnvalue?.worker ?? 'a worker'} finished it, but ${data.dir} holds no finished run: is --out on a file system every worker shares?`);
      }
      if (state === 'failed') {
        const where = job!.processedBy ? ` on ${job!.processedBy}` : '';
        throw new QueuedRunFailure(`${data.label} failed${where}: ${this.target.redact(job!.failedReason ?? 'no reason given')}`);
      }
      const progress = job!.progress as RunJobProgress | number | undefined;
      if (state === 'active') {
        const worker = job!.processedBy ?? (typeof progress === 'object' ? progress.worker : 'a worker');
        if (!active || job!.attemptsStarted !== attempt) {
          if (attempt > 0 && job!.attemptsStarted !== attempt) cb.message(`${data.label}: retried on ${worker} (attempt ${job!.attemptsStarted})`);
          attempt = job!.attemptsStarted;
          active = true;
          lastStep = -1;
          cb.started(worker, typeof progress === 'object' && progress.worker === worker ? progress.step : 0);
        }
        if (typeof progress === 'object' && progress && progress.worker === worker && progress.step !== lastStep && progress.totalSteps > 0) {
          cb.step(progress.step, progress.totalSteps);
          lastStep = progress.step;
        }
      } else if (active) {
        // Back in the queue (its worker died or stopped): waiting for the next free worker.
        active = false;
        cb.queued();
      }
    }
  }

  /**
   * Adds the job, or takes the one of that id (Queue.add is idempotent for a job id). A job of
   * that id that failed (an earlier compare) is queued afresh; one that completed although the
   * folder holds no finished run (the folder was removed since) too. Returns the result instead
   * when the folder says the run finished after all.
   */
  private async attach(jobId: string, data: RunJobData, cb: QueuedRunCallbacks, finishedOnDisk: () => Promise<RunResult | null>): Promise<RunResult | null> {
    const existing = await this.queue.getJob(jobId);
    const state = existing ? await existing.getState() : undefined;
    if (existing && (state === 'failed' || state === 'completed')) {
      const done = await finishedOnDisk();
      if (done) return done;
      if (state === 'failed') cb.message(`${data.label}: failed in an earlier compare (${this.target.redact(existing.failedReason ?? '')}); queued again`);
      await existing.remove();
    }
    await this.queue.add('train', data, { ...JOB_OPTIONS, jobId });
    return null;
  }

  private unreachable(err: Error): void {
    if (this.outage) return;
    this.outage = true;
    this.note(`lost Redis at ${this.target.shown} (${this.target.redact(err.message)}): waiting for it to come back; the runs go on`);
  }

  private reachable(): void {
    if (!this.outage) return;
    this.outage = false;
    this.note(`Redis at ${this.target.shown} is back`);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
