import { MaxPoolBertError } from '@maxpoolbert/core';
import { lockHolder, takeOverJobLock } from '../training/out-lock.js';

/** The run folder is held by something other than this job: a person's `train`, another compare. */
export class RunFolderBusyError extends MaxPoolBertError {}

export interface ClaimOptions {
  /**
   * How long an earlier attempt of the same job may take to stop. Its worker stops its `train`
   * child once it cannot renew the job lock (lockDuration), so waiting that long before taking
   * over a lock from another host means the earlier child is gone, not racing this one.
   */
  graceMs: number;
  signal?: AbortSignal;
  /** A line for the worker's log (a takeover). */
  log(line: string): void;
  /** Poll interval; injectable for tests. */
  everyMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Makes sure the `train` child a queue worker starts for job `jobId` can lock the run folder
 * `dir`. Nothing to do when the folder is free or its holder is a dead process on this host (the
 * child's lock takes such a stale lock over, as always). A lock taken for the same job by an
 * earlier attempt is waited for (it goes when that attempt's child exits) and, if it is still
 * there after `graceMs` and its holder is on another host (where its pid cannot be checked, a
 * machine that died), removed: holding BullMQ's job lock is what makes the folder this worker's.
 * Anything else holding the folder is a RunFolderBusyError.
 */
export async function claimRunFolder(dir: string, jobId: string, o: ClaimOptions): Promise<void> {
  const until = Date.now() + o.graceMs;
  for (;;) {
    o.signal?.throwIfAborted();
    const holder = lockHolder(dir);
    if (!holder || (holder.sameHost && holder.alive === false)) return;
    if (holder.job !== jobId) {
      throw new RunFolderBusyError(`${dir} is in use by ${holder.who}, not by this job: stop it or remove that run from the compare`);
    }
    if (Date.now() >= until) {
      if (holder.sameHost) throw new MaxPoolBertError(`${dir}: the earlier attempt of this run (${holder.who}) is still running`);
      if (takeOverJobLock(dir, jobId)) {
        o.log(`took over ${dir} from the earlier attempt of this run, ${holder.who}, whose worker lost the job`);
      }
      return;
    }
    await sleep(o.everyMs ?? 200);
  }
}
