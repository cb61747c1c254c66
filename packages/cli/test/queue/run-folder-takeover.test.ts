// A retried job's run folder: a queue worker holding BullMQ's job lock takes over the folder's
// lock left by an earlier attempt of the SAME job (waiting first for it to go by itself), on
// another host where its pid cannot be checked; it never takes a lock of anything else, nor one
// whose holder still runs on this host. Real lock files, real processes. And the watch that stops
// a job's training when its worker loses the job lock.
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Worker } from 'bullmq';
import { claimRunFolder, RunFolderBusyError } from '../../src/queue/claim-run-folder';
import { JobLockWatch } from '../../src/queue/job-lock-watch';
import { LOCK_FILE, lockHolder, lockOutFolder, QUEUE_JOB_ENV, takeOverJobLock } from '../../src/training/out-lock';
import { tempDir } from '../run-cli';

const root = tempDir('mpb-takeover-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A run folder whose lock file says `holder` holds it. */
function lockedFolder(holder: { pid: number; host: string; job?: string }): string {
  const dir = path.join(root, `run-${++n}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ command: 'train', started: '2026-01-01T00:00:00.000Z', ...holder }) + '\n');
  return dir;
}
const locked = (dir: string) => fs.existsSync(path.join(dir, LOCK_FILE));
const claim = (dir: string, job: string, graceMs: number, log: string[] = []) => claimRunFolder(dir, job, { graceMs, everyMs: 20, log: (l) => log.push(l) });

test("a `train` started by a worker records the job in its run folder's lock", () => {
  const dir = path.join(root, 'recorded');
  process.env[QUEUE_JOB_ENV] = 'run-abc';
  try {
    const lock = lockOutFolder(dir, 'train');
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ job: 'run-abc', pid: process.pid, host: os.hostname() });
    expect(lockHolder(dir)).toMatchObject({ job: 'run-abc', sameHost: true, alive: true });
    lock.release();
  } finally {
    delete process.env[QUEUE_JOB_ENV];
  }
  expect(lockHolder(dir)).toBeNull();
});

test('the same job, on another host: taken over once the grace period passed', async () => {
  const dir = lockedFolder({ pid: 4242, host: 'dead-machine', job: 'run-a' });
  const log: string[] = [];
  const started = Date.now();
  await claim(dir, 'run-a', 300, log);
  expect(Date.now() - started).toBeGreaterThanOrEqual(300); // its worker had time to stop it, had it been alive
  expect(locked(dir)).toBe(false);
  expect(log).toEqual([expect.stringMatching(/took over .* from the earlier attempt of this run, train \(pid 4242 on dead-machine, .*\), whose worker lost the job/)]);
});

test('the same job, on another host, gone by itself during the wait: nothing to take over', async () => {
  const dir = lockedFolder({ pid: 4242, host: 'slow-machine', job: 'run-a' });
  setTimeout(() => fs.rmSync(path.join(dir, LOCK_FILE)), 100); // its child exits and releases the lock
  const started = Date.now();
  const log: string[] = [];
  await claim(dir, 'run-a', 5000, log);
  expect(Date.now() - started).toBeLessThan(2000);
  expect(log).toEqual([]);
});

test('another job or a plain `train` on another host keeps the folder: a busy error naming it', async () => {
  for (const job of ['run-other', undefined]) {
    const dir = lockedFolder({ pid: 4242, host: 'busy-machine', job });
    await expect(claim(dir, 'run-a', 100)).rejects.toThrow(RunFolderBusyError);
    await expect(claim(dir, 'run-a', 100)).rejects.toThrow(/is in use by train \(pid 4242 on busy-machine, .*\), not by this job/);
    expect(takeOverJobLock(dir, 'run-a')).toBe(false);
    expect(locked(dir)).toBe(true);
  }
});

test('on this host: a dead holder is left to the stale-lock takeover; a live one is waited for, never removed', async () => {
  const dead = spawn('true');
  await new Promise((r) => dead.on('exit', r));
  const staleDir = lockedFolder({ pid: dead.pid!, host: os.hostname(), job: 'run-a' });
  await claim(staleDir, 'run-a', 5000); // at once: the child's own lock breaks a dead holder's lock
  expect(lockHolder(staleDir)).toMatchObject({ alive: false });

  const live = spawn('sleep', ['30']);
  try {
    const liveDir = lockedFolder({ pid: live.pid!, host: os.hostname(), job: 'run-a' });
    await expect(claim(liveDir, 'run-a', 200)).rejects.toThrow(/the earlier attempt of this run \(train \(pid \d+, .*\)\) is still running/);
    expect(takeOverJobLock(liveDir, 'run-a')).toBe(false);
    expect(locked(liveDir)).toBe(true);
    // When it exits within the wait, the claim goes ahead.
    setTimeout(() => live.kill('SIGKILL'), 100);
    await claim(liveDir, 'run-a', 5000);
  } finally {
    live.kill('SIGKILL');
  }
});

describe('JobLockWatch', () => {
  const fakeWorker = () => new EventEmitter() as unknown as Worker & EventEmitter;

  test("stops a job whose lock BullMQ could not renew, and one not renewed for a lockDuration, but not one renewed", async () => {
    const worker = fakeWorker();
    const watch = new JobLockWatch(worker, 400);
    try {
      const lost = watch.track('lost');
      const silent = watch.track('silent');
      const renewed = watch.track('renewed');
      worker.emit('lockRenewalFailed', ['lost']);
      expect(lost.aborted).toBe(true);
      expect((lost.reason as Error).message).toMatch(/its job lock was lost/);
      const renew = setInterval(() => worker.emit('locksRenewed', { count: 1, jobIds: ['renewed'] }), 100);
      await new Promise((r) => setTimeout(r, 800));
      clearInterval(renew);
      expect(silent.aborted).toBe(true);
      expect((silent.reason as Error).message).toMatch(/not renewed for/);
      expect(renewed.aborted).toBe(false);
    } finally {
      watch.close();
    }
  });

  test('a stopping worker stops its jobs', () => {
    const watch = new JobLockWatch(fakeWorker(), 10_000);
    const closing = new AbortController();
    const signal = watch.track('job', closing.signal);
    closing.abort(new Error('the worker was told to stop'));
    expect(signal.aborted).toBe(true);
    watch.close();
  });
});
