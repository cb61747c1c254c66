// The output-folder lock with real processes: a live holder refuses others (naming its pid), a
// holder killed with SIGKILL leaves a stale lock that the next process takes over, exactly one
// of several racing processes wins, and the lock goes on exit, on an uncaught error and on
// SIGINT / SIGTERM. The holders run the built dist (dist/training/out-lock.js).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LOCK_FILE, lockOutFolder, refuseIfLocked } from '../../src/training/out-lock';
import { tempDir } from '../run-cli';
import { requireBuiltBin, waitFor } from './helpers';

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'training', 'out-lock.js');
const root = tempDir('mpb-lock-');
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

let n = 0;
const freshDir = () => path.join(root, `out-${++n}`);
const lockInfo = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as { pid: number; host: string; command: string };

/**
 * Starts a node process that takes the lock on `dir` and then does `then`: 'hold' (until
 * killed), 'exit' (process.exit without releasing), 'throw' (an uncaught error). Resolves once
 * it printed "locked" or "busy: <message>".
 */
async function holder(dir: string, then: 'hold' | 'exit' | 'throw', holdMs = 60_000) {
  requireBuiltBin();
  const code = `
    const { lockOutFolder } = await import(${JSON.stringify(DIST)});
    try { lockOutFolder(${JSON.stringify(dir)}, 'test-holder'); } catch (e) { console.log('busy: ' + e.message); process.exit(0); }
    console.log('locked');
    if (${JSON.stringify(then)} === 'exit') process.exit(0);
    if (${JSON.stringify(then)} === 'throw') setTimeout(() => { throw new Error('boom'); }, 10);
    else setTimeout(() => {}, ${holdMs});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (c, s) => resolve({ code: c, signal: s })));
  const said = await waitFor(() => (out.includes('\n') ? out.trim() : undefined), 20_000, 10);
  if (!said) throw new Error('the holder said nothing within 20 s');
  return { child, said, exited };
}

it('a held folder is refused, naming the folder and the holder; released, it can be taken again', () => {
  const dir = freshDir();
  const lock = lockOutFolder(dir, 'train');
  expect(lockInfo(dir)).toMatchObject({ pid: process.pid, host: os.hostname(), command: 'train' });
  const message = `${dir} is in use by train (pid ${process.pid}, since `;
  expect(() => lockOutFolder(dir, 'compare')).toThrow(message);
  expect(() => refuseIfLocked(dir)).toThrow(message);
  expect(() => lockOutFolder(dir, 'compare')).toThrow(`if no such process runs, delete ${path.join(dir, LOCK_FILE)}`);
  lock.release();
  expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  lock.release(); // twice is harmless
  lockOutFolder(dir, 'compare').release();
});

it('another live process holding the folder is named by its pid; after its kill -9 the lock is stale and taken over', async () => {
  const dir = freshDir();
  const h = await holder(dir, 'hold');
  expect(h.said).toBe('locked');
  expect(() => lockOutFolder(dir, 'train')).toThrow(`${dir} is in use by test-holder (pid ${h.child.pid}, since `);
  h.child.kill('SIGKILL');
  expect(await h.exited).toEqual({ code: null, signal: 'SIGKILL' });
  expect(lockInfo(dir).pid).toBe(h.child.pid); // SIGKILL leaves the lock behind
  refuseIfLocked(dir); // no longer refused
  const lock = lockOutFolder(dir, 'train');
  expect(lockInfo(dir).pid).toBe(process.pid);
  lock.release();
}, 30_000);

it.each(['SIGTERM', 'SIGINT'] as const)('%s releases the lock, and the holder still dies of the signal', async (signal) => {
  const dir = freshDir();
  const h = await holder(dir, 'hold');
  expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(true);
  h.child.kill(signal);
  expect(await h.exited).toEqual({ code: null, signal });
  expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
}, 30_000);

it.each([['exit', 0], ['throw', 1]] as const)('a holder that ends with %s releases the lock', async (then, code) => {
  const dir = freshDir();
  const h = await holder(dir, then);
  expect(h.said).toBe('locked');
  expect((await h.exited).code).toBe(code);
  expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
}, 30_000);

it('of several processes racing for a stale lock, exactly one gets it', async () => {
  const dir = freshDir();
  fs.mkdirSync(dir);
  // A stale lock: the pid of a process that has exited.
  const gone = await holder(dir, 'exit');
  await gone.exited;
  fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: gone.child.pid, host: os.hostname(), command: 'train', started: 'then' }) + '\n');
  const racers = await Promise.all(Array.from({ length: 4 }, () => holder(dir, 'hold', 3_000)));
  const said = racers.map((r) => r.said);
  expect(said.filter((s) => s === 'locked')).toHaveLength(1);
  const winner = racers[said.indexOf('locked')]!;
  for (const s of said.filter((x) => x !== 'locked')) expect(s).toContain(`is in use by test-holder (pid ${winner.child.pid}, since `);
  await Promise.all(racers.map((r) => r.exited));
  expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
}, 60_000);

it('a live pid that started after the lock was written (a reused pid) does not hold it', () => {
  const dir = freshDir();
  fs.mkdirSync(dir);
  // pid 1 runs, but not since "clock tick 1": whoever wrote this lock is gone.
  fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: 1, host: os.hostname(), command: 'train', started: 'then', processStart: 1 }) + '\n');
  const lock = lockOutFolder(dir, 'train');
  expect(lockInfo(dir).pid).toBe(process.pid);
  lock.release();
});

it('a lock held on another host is never judged by local pids', () => {
  const dir = freshDir();
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: 999_999_999, host: `${os.hostname()}-elsewhere`, command: 'compare', started: 'then' }) + '\n');
  expect(() => lockOutFolder(dir, 'train')).toThrow(`in use by compare (pid 999999999 on ${os.hostname()}-elsewhere, since then)`);
});

it('an unreadable lock file is respected while fresh and taken over once old', () => {
  const dir = freshDir();
  fs.mkdirSync(dir);
  const file = path.join(dir, LOCK_FILE);
  fs.writeFileSync(file, '');
  expect(() => lockOutFolder(dir, 'train')).toThrow(`${dir} is in use by another maxpoolbert process`);
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(file, old, old);
  lockOutFolder(dir, 'train').release();
});

it('removes the folders it created when nothing else was written, and never a folder that existed', () => {
  const nested = path.join(freshDir(), 'a', 'b');
  lockOutFolder(nested, 'train').release();
  expect(fs.existsSync(path.join(root, `out-${n}`))).toBe(false);

  const existing = freshDir();
  fs.mkdirSync(existing);
  lockOutFolder(existing, 'train').release();
  expect(fs.readdirSync(existing)).toEqual([]);

  const used = path.join(freshDir(), 'run');
  const lock = lockOutFolder(used, 'train');
  fs.writeFileSync(path.join(used, 'results.json'), '{}');
  lock.release();
  expect(fs.readdirSync(used)).toEqual(['results.json']);
});

it('a file where the folder should be, or a missing folder to resume, is one clear line', () => {
  const file = path.join(root, 'a-file');
  fs.writeFileSync(file, 'x');
  expect(() => lockOutFolder(file, 'train')).toThrow(`${file}: is a file, not a folder (choose another --out)`);
  expect(() => lockOutFolder(path.join(root, 'nope'), 'train --resume', { create: false })).toThrow(`${path.join(root, 'nope')}: no such folder`);
  expect(fs.existsSync(path.join(root, 'nope'))).toBe(false);
});
