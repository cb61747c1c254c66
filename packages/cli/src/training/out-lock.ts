import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inputError, MaxPoolBertError } from '@maxpoolbert/core';

/**
 * One process at a time per output folder. Two `train` or `compare` runs writing the same
 * checkpoint/ or results.json race (one renames the other's folder away mid-swap and dies with
 * ENOENT); the second is refused at once instead, naming the process that holds the folder.
 *
 * The lock is a file created with O_EXCL (exactly one process can create it) holding the
 * holder's pid, host and start. A holder killed with SIGKILL cannot remove it, so a lock whose
 * process is gone (checked on the same host) is stale and taken over.
 */
export const LOCK_FILE = '.maxpoolbert.lock';

/**
 * Set by a queue worker (`maxpoolbert worker`) in the environment of the `train` child it starts
 * for a job: that child's run-folder lock records the job id, so that a later attempt of the same
 * job, on any host, can tell the lock is its own job's (see takeOverJobLock).
 */
export const QUEUE_JOB_ENV = 'MAXPOOLBERT_QUEUE_JOB';

interface LockInfo {
  pid: number;
  host: string;
  command: string;
  started: string;
  /** The holder's start time in clock ticks since boot (Linux), so a reused pid is not taken for it. */
  processStart?: number;
  /** The queue job the holder trains for (QUEUE_JOB_ENV), if any. */
  job?: string;
}

export interface OutLock {
  dir: string;
  file: string;
  /**
   * Removes the lock, and the folder itself when taking the lock created it and nothing else
   * was written into it (a run that failed before writing anything leaves no empty folder).
   * Idempotent; also run on exit and on SIGINT / SIGTERM / SIGHUP.
   */
  release(): void;
}

/** Locks held by this process, released on exit or on a terminating signal. */
const held = new Set<OutLock>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function releaseAll(): void {
  for (const lock of [...held]) lock.release();
}

function onSignal(signal: NodeJS.Signals): void {
  releaseAll();
  // Then die of the signal, as without this handler: the exit status still says "interrupted".
  process.kill(process.pid, signal);
}

function installHandlers(): void {
  process.on('exit', releaseAll);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function removeHandlers(): void {
  process.removeListener('exit', releaseAll);
  for (const s of SIGNALS) process.removeListener(s, onSignal);
}

/** This process's start time in clock ticks since boot, where /proc tells it (Linux). */
function processStartOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, counted after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]);
    return Number.isFinite(start) ? start : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the process that wrote `info` still runs (unknowable for another host: assume so). */
function holderAlive(info: LockInfo, file: string): boolean {
  if (info.host !== os.hostname()) return true;
  if (info.pid === process.pid) {
    // Our own pid: a lock this process holds, or one left by an earlier process with the same pid.
    return [...held].some((l) => l.file === file);
  }
  try {
    process.kill(info.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const start = processStartOf(info.pid);
  return start === undefined || info.processStart === undefined || start === info.processStart;
}

function readRaw(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function parse(raw: string): LockInfo | null {
  try {
    const info = JSON.parse(raw) as LockInfo;
    return Number.isInteger(info.pid) && typeof info.host === 'string' ? info : null;
  } catch {
    return null;
  }
}

/**
 * Removes a stale lock, unless another process got there first. Breakers take turns through a
 * second O_EXCL file, and each checks the lock still holds what it judged stale, so one that
 * was slower never deletes the lock a faster one has just taken.
 */
function breakStaleLock(file: string, staleRaw: string): void {
  const guard = `${file}.break`;
  let fd: number;
  try {
    fd = fs.openSync(guard, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // A breaker killed within these few lines leaves its guard: old ones are removed.
    const stat = fs.statSync(guard, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > 10_000) fs.rmSync(guard, { force: true });
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20); // let that breaker finish
    return;
  }
  try {
    if (readRaw(file) === staleRaw) fs.rmSync(file, { force: true });
  } finally {
    fs.closeSync(fd);
    fs.rmSync(guard, { force: true });
  }
}

function busy(dir: string, file: string, info: LockInfo | null): MaxPoolBertError {
  const who = info ? `${info.command} (pid ${info.pid}${info.host !== os.hostname() ? ` on ${info.host}` : ''}, since ${info.started})` : 'another maxpoolbert process';
  return new MaxPoolBertError(
    `${dir} is in use by ${who}: wait for it to finish or stop it, or choose another --out; if no such process runs, delete ${file}`,
    { file: dir },
  );
}

/**
 * Creates `dir` and the folders above it that are missing, one at a time: `mkdir -p` reports
 * a read-only disk as ENOENT, one level at a time reports it as it is (EROFS). Returns the
 * first folder it created, if any.
 */
function createFolder(dir: string): string | undefined {
  const missing: string[] = [];
  for (let p = dir; !fs.existsSync(p); p = path.dirname(p)) {
    missing.unshift(p);
    if (path.dirname(p) === p) break;
  }
  for (const p of missing) {
    try {
      fs.mkdirSync(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !fs.statSync(p).isDirectory()) throw err;
    }
  }
  return missing[0];
}

/** Removes `dir` and its parents up to `created` while they are empty (folders this lock made). */
function removeCreated(dir: string, created: string | undefined): void {
  if (!created) return;
  for (let p = dir; ; p = path.dirname(p)) {
    try {
      fs.rmdirSync(p); // only ever removes an empty folder
    } catch {
      return;
    }
    if (p === created || path.dirname(p) === p) return;
  }
}

/**
 * Takes the lock on the output folder `dir` for `command` ("train", "compare"), creating the
 * folder when `create` (a new run) or requiring it (a resume). Throws, naming the holder, when
 * another live process has it.
 */
export function lockOutFolder(dir: string, command: string, o: { create: boolean } = { create: true }): OutLock {
  const resolved = path.resolve(dir);
  const stat = fs.statSync(resolved, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) throw inputError('is a file, not a folder', { file: resolved, fix: 'choose another --out' });
  if (!stat && !o.create) throw inputError('no such folder', { file: resolved, fix: 'check the path' });
  const created = stat ? undefined : createFolder(resolved);
  const file = path.join(resolved, LOCK_FILE);
  const job = process.env[QUEUE_JOB_ENV] || undefined;
  const info: LockInfo = { pid: process.pid, host: os.hostname(), command, started: new Date().toISOString(), processStart: processStartOf(process.pid), ...(job ? { job } : {}) };
  const raw = JSON.stringify(info) + '\n';
  try {
    acquire(resolved, file, raw);
  } catch (err) {
    removeCreated(resolved, created);
    throw err;
  }
  let released = false;
  const lock: OutLock = {
    dir: resolved,
    file,
    release() {
      if (released) return;
      released = true;
      held.delete(lock);
      if (held.size === 0) removeHandlers();
      // Only our own lock: after a wrongful takeover the file may be someone else's now.
      if (readRaw(file) === raw) fs.rmSync(file, { force: true });
      removeCreated(resolved, created);
    },
  };
  if (held.size === 0) installHandlers();
  held.add(lock);
  return lock;
}

/**
 * Refuses at once, before any work (starting a backend, loading data), when a live process
 * holds `dir`; reads only. `lockOutFolder` later takes the lock for real.
 */
export function refuseIfLocked(dir: string): void {
  const resolved = path.resolve(dir);
  const file = path.join(resolved, LOCK_FILE);
  const info = parse(readRaw(file) ?? '');
  if (info && holderAlive(info, file)) throw busy(resolved, file, info);
}

function acquire(dir: string, file: string, raw: string): void {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx'); // O_CREAT | O_EXCL: fails when the file exists
      try {
        fs.writeSync(fd, raw);
      } finally {
        fs.closeSync(fd);
      }
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const existing = readRaw(file);
    if (existing === null) continue; // released in between: try again
    const info = parse(existing);
    if (!info) {
      // Created but not written yet (a few microseconds), or garbage: stale once it is old.
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      if (stat && Date.now() - stat.mtimeMs < 5_000) throw busy(dir, file, null);
    } else if (holderAlive(info, file)) {
      throw busy(dir, file, info);
    }
    breakStaleLock(file, existing);
  }
  throw busy(dir, file, parse(readRaw(file) ?? ''));
}

/** Who holds a folder's lock, as far as this host can tell. */
export interface LockHolder {
  /** "train (pid 12 on host-b, since …)", for messages. */
  who: string;
  /** The queue job whose `train` child took the lock, if any. */
  job?: string;
  sameHost: boolean;
  /** Whether the holder still runs: known on this host only (undefined on another host). */
  alive: boolean | undefined;
}

/** The holder of `dir`'s lock, or null when the folder is not locked (reads only). */
export function lockHolder(dir: string): LockHolder | null {
  const file = path.join(path.resolve(dir), LOCK_FILE);
  const raw = readRaw(file);
  if (raw === null) return null;
  const info = parse(raw);
  if (!info) {
    // Created but not written yet (live), or garbage left by a kill (stale once old), as acquire() judges it.
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    return { who: 'another maxpoolbert process', sameHost: true, alive: !!stat && Date.now() - stat.mtimeMs < 5_000 };
  }
  const sameHost = info.host === os.hostname();
  return {
    who: `${info.command} (pid ${info.pid}${sameHost ? '' : ` on ${info.host}`}, since ${info.started})`,
    job: info.job,
    sameHost,
    alive: sameHost ? holderAlive(info, file) : undefined,
  };
}

/**
 * For a queue worker that holds BullMQ's lock on job `jobId`: removes the run folder's lock when
 * it was taken for that same job (an earlier attempt, whose worker lost the job: killed, or cut
 * off from Redis) by a process that is gone or on another host. A pid on another host cannot be
 * checked from here; the job lock is the proof of ownership instead, which is why only a lock
 * recording this very job is taken over, and a live holder on this host never is. Returns true
 * when it removed the lock.
 */
export function takeOverJobLock(dir: string, jobId: string): boolean {
  const file = path.join(path.resolve(dir), LOCK_FILE);
  const raw = readRaw(file);
  const info = raw === null ? null : parse(raw);
  if (!raw || !info || info.job !== jobId) return false;
  if (info.host === os.hostname() && holderAlive(info, file)) return false;
  breakStaleLock(file, raw);
  return readRaw(file) !== raw;
}
