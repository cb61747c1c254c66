import * as os from 'node:os';
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { ChildRunFailure } from '../training/child-run.js';
import { dropCheckpoint } from '../training/drop-checkpoint.js';
import { PARENT_GONE_EXIT } from '../training/exit-with-parent.js';
import { peekRunFolder } from '../training/finished-run.js';
import { QUEUE_JOB_ENV } from '../training/out-lock.js';
import { trainRunInChild } from '../training/train-run-in-child.js';
import { claimRunFolder, RunFolderBusyError } from './claim-run-folder.js';
import { JobLockWatch } from './job-lock-watch.js';
import { REDIS_PASSWORD_ENV, type RedisTarget } from './redis-connection.js';
import { QUEUE_NAME, type RunJobData, type RunJobProgress, type RunJobResult } from './run-job.js';

/** Default job lock: long enough for a busy machine's event loop, short enough to retry a dead worker soon. */
export const DEFAULT_LOCK_MS = 30_000;

export interface QueueWorkerOptions {
  target: RedisTarget;
  /** Runs at a time (each its own `train` child process). */
  concurrency: number;
  /** The name this worker reports in progress and logs; default HOST:PID. */
  name?: string;
  /** `--backend` (and `--threads`) given to each run's child. */
  backend: string;
  threads?: number;
  /**
   * How long a job's lock lasts without renewal (BullMQ renews it every half of it while the
   * worker lives). A worker killed with SIGKILL stops renewing: within about this long (plus the
   * next stalled check) its job is retried elsewhere. Default 30 s.
   */
  lockMs?: number;
  /** One line per job event (started, finished, failed) and per connection trouble. */
  log(line: string): void;
}

export interface QueueWorker {
  name: string;
  /** Stops taking jobs; runs in flight are stopped (they keep their checkpoints and are retried). */
  close(): Promise<void>;
}

/** Runs that end with their own error (bad data, NaN loss) do the same on any worker: not retried. */
function isOwnFailure(err: unknown, stopped: boolean): boolean {
  if (stopped) return false;
  if (err instanceof RunFolderBusyError) return true;
  return err instanceof ChildRunFailure && err.signal === undefined && err.exitCode !== undefined && err.exitCode !== PARENT_GONE_EXIT;
}

/**
 * Takes runs from the queue and trains each in a `maxpoolbert train` child process, the code
 * path of a local `compare --parallel` (trainRunInChild). The child keeps this process's event
 * loop free, so BullMQ renews the job's lock however long a training step takes; and the child
 * dies with the worker (kill -9 included, see exit-with-parent.ts), so the retry of a job never
 * races a stale trainer left on the same host.
 */
export function startQueueWorker(o: QueueWorkerOptions): QueueWorker {
  const name = o.name ?? `${os.hostname()}:${process.pid}`;
  const lockDuration = o.lockMs ?? DEFAULT_LOCK_MS;
  const closing = new AbortController();
  const worker = new Worker<RunJobData, RunJobResult>(QUEUE_NAME, (job, token) => runJob(job, token), {
    connection: o.target.options,
    name,
    concurrency: o.concurrency,
    lockDuration,
    // Every worker looks for dead workers' jobs this often: one is retried within about
    // lockDuration + 2 × stalledInterval of its worker's death.
    stalledInterval: Math.max(1000, Math.round(lockDuration / 2)),
    // A run that kills its worker each time (out of memory) fails after 3 stalls instead of looping.
    maxStalledCount: 3,
  });
  const watch = new JobLockWatch(worker, lockDuration);
  // ioredis reports every failed reconnect: say it once per kind of trouble, not every 2 s.
  let lastError = '';
  worker.on('error', (err) => {
    const text = o.target.redact(err.message);
    if (text !== lastError) o.log(`${name}: Redis ${o.target.shown}: ${text}`);
    lastError = text;
  });
  worker.on('ready', () => {
    if (lastError) o.log(`${name}: connected to Redis ${o.target.shown} again`);
    lastError = '';
  });

  async function runJob(job: Job<RunJobData, RunJobResult>, token: string | undefined): Promise<RunJobResult> {
    const d = job.data;
    const id = job.id!;
    const started = Date.now();
    const signal = watch.track(id, closing.signal);
    let latest: RunJobProgress | undefined;
    let sending = false;
    const report = async () => {
      if (sending || !latest) return;
      sending = true;
      const p = latest;
      try {
        await job.updateProgress(p);
      } catch {
        // Redis out of reach for a moment: the next step reports again.
      } finally {
        sending = false;
      }
    };
    try {
      const before = await peekRunFolder(d.dir);
      if (before.kind === 'finished') {
        // Its job was queued again (after Redis lost it) although a worker had finished it.
        o.log(`${name}: ${d.label} was finished already (${d.dir})`);
        return { worker: name, mainMetric: before.result.mainMetric, value: mainValue(before.result) };
      }
      await claimRunFolder(d.dir, id, { graceMs: lockDuration, signal, log: (line) => o.log(`${name}: ${d.label}: ${line}`) });
      const state = await peekRunFolder(d.dir);
      const from = state.kind === 'started' ? state.step : 0;
      o.log(`${name}: started ${d.label}${from ? ` (resuming at step ${from}/${state.kind === 'started' ? state.totalSteps : '?'})` : ''}, attempt ${job.attemptsStarted}, job ${id}`);
      latest = { worker: name, step: from, totalSteps: state.kind === 'started' ? state.totalSteps : 0 };
      await report();
      const result = await trainRunInChild(d.dir, state.kind === 'new' ? d.trainArgv : ['--resume', d.dir], {
        backend: o.backend, threads: o.threads, signal,
        // The child's lock names the job (a later attempt may take it over); it never needs the password.
        env: { [QUEUE_JOB_ENV]: id, [REDIS_PASSWORD_ENV]: undefined },
        onStep: (step, totalSteps) => {
          latest = { worker: name, step, totalSteps };
          void report();
        },
      });
      if (!d.keepCheckpoints) await dropCheckpoint(d.dir);
      const value = mainValue(result);
      o.log(`${name}: finished ${d.label}: ${result.mainMetric} ${value?.toFixed(4) ?? 'n/a'} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
      return { worker: name, mainMetric: result.mainMetric, value };
    } catch (err) {
      const message = o.target.redact((err as Error).message);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (isOwnFailure(err, signal.aborted)) {
        o.log(`${name}: failed ${d.label} after ${seconds}s: ${message} (not retried: it would fail the same way anywhere)`);
        throw new UnrecoverableError(message);
      }
      const why = signal.aborted ? `stopped: ${(signal.reason as Error)?.message ?? 'worker closing'}` : `interrupted: ${message}`;
      o.log(`${name}: ${d.label} ${why} after ${seconds}s; it is retried from its last checkpoint`);
      if (closing.signal.aborted && token) {
        // This worker stops (SIGTERM): the run goes straight back to the queue for another worker,
        // without counting as a failed attempt.
        const moved = await job.moveToWait(token).then(() => true, () => false);
        if (moved) throw new WaitingError();
      }
      throw new Error(message); // BullMQ retries it (attempts, backoff), on this worker or another
    } finally {
      watch.untrack(id);
    }
  }

  return {
    name,
    async close() {
      closing.abort(new Error('the worker was told to stop'));
      watch.close();
      await worker.close();
    },
  };
}

function mainValue(result: { mainMetric: string; best: { metrics: object } | null }): number | null {
  const v = (result.best?.metrics as Record<string, number> | undefined)?.[result.mainMetric];
  return typeof v === 'number' ? v : null;
}
