import type { Worker } from 'bullmq';

/**
 * Stops a job's training once its worker no longer holds the job's lock. BullMQ gives the job to
 * another worker when the lock expires (its stalled-job check), and it expires when this worker
 * cannot renew it: Redis restarted and lost it (BullMQ says so: 'lockRenewalFailed'), or Redis
 * is out of reach (no 'locksRenewed' for a whole lockDuration). Training on would race the
 * retry in the same run folder; stopped, the run keeps its last checkpoint and the retry
 * resumes from it.
 */
export class JobLockWatch {
  private readonly jobs = new Map<string, { renewed: number; stop: AbortController }>();
  private readonly timer: NodeJS.Timeout;

  constructor(worker: Worker, private readonly lockDurationMs: number, private readonly now: () => number = Date.now) {
    worker.on('locksRenewed', ({ jobIds }: { jobIds: string[] }) => {
      const t = this.now();
      for (const id of jobIds) {
        const job = this.jobs.get(id);
        if (job) job.renewed = t;
      }
    });
    worker.on('lockRenewalFailed', (jobIds: string[]) => {
      for (const id of jobIds) this.jobs.get(id)?.stop.abort(new Error('its job lock was lost (Redis restarted?)'));
    });
    this.timer = setInterval(() => this.check(), Math.max(100, lockDurationMs / 4));
    this.timer.unref();
  }

  /** Starts watching job `id` (its lock was just taken); the signal aborts when the lock is lost. */
  track(id: string, parent?: AbortSignal): AbortSignal {
    const stop = new AbortController();
    if (parent) {
      if (parent.aborted) stop.abort(parent.reason);
      else parent.addEventListener('abort', () => stop.abort(parent.reason), { once: true });
    }
    this.jobs.set(id, { renewed: this.now(), stop });
    return stop.signal;
  }

  untrack(id: string): void {
    this.jobs.delete(id);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private check(): void {
    const t = this.now();
    for (const job of this.jobs.values()) {
      if (t - job.renewed > this.lockDurationMs) job.stop.abort(new Error(`its job lock was not renewed for ${Math.round(this.lockDurationMs / 1000)} s (Redis out of reach?)`));
    }
  }
}
