// Faults of a distributed compare other than a dead worker (distributed-compare.test.ts), with a
// real redis-server and real worker processes: a coordinator killed and started again attaches to
// the jobs it queued (no run trained twice), a Redis restarting empty mid-sweep loses no finished
// run (the vanished jobs are queued again, finished runs are read from disk), a run that fails on
// its own is reported once and never retried, and a wrong password is one line that does not
// show it. Each sweep's metrics equal a local compare's. Tiny-bert, 64 examples: 8 steps a run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import { TINY_BERT_DIR } from '../../../../testing/shared-fixtures';
import { parseRedisUrl } from '../../src/queue/redis-connection';
import { QUEUE_NAME } from '../../src/queue/run-job';
import { cli, tempDir } from '../run-cli';
import { GLUE_DIR, requireBuiltBin } from '../training/helpers';
import { count, filesUnder, numbers, Processes, resultsOf, until, type Run } from './queue-helpers';
import { startRedis, type TestRedis } from './redis-server';

const PASSWORD = 'faults-secret-51d0';
const root = tempDir('mpb-queue-faults-');
const processes = new Processes();
let redis: TestRedis;
let local: Run[];

const SETTINGS = [
  '--model', TINY_BERT_DIR, '--heads', 'cls', '--seeds', '3', '--task', 'SST-2', '--data', GLUE_DIR,
  '--train-limit', '64', '--dev-limit', '16', '--epochs', '1', '--batch-size', '8', '--max-length', '16', '--eval-every', '4',
];
const RUNS = ['cls seed 1', 'cls seed 2', 'cls seed 3'];
const compare = (out: string, ...more: string[]) => processes.start(['compare', ...SETTINGS, '--out', out, '--queue', redis.url, ...more]);
const startWorker = (name: string) =>
  processes.start(['worker', '--queue', redis.url, '--name', name, '--backend', 'wasm', '--lock-seconds', '2']);

beforeAll(async () => {
  requireBuiltBin();
  redis = await startRedis({ password: PASSWORD });
  const r = await cli('compare', ...SETTINGS, '--backend', 'wasm', '--quiet', '--out', path.join(root, 'local'));
  if (r.code !== 0) throw new Error(r.stderr);
  local = resultsOf(path.join(root, 'local')).runs;
}, 120_000);

afterEach(() => processes.stopAll());
afterAll(async () => {
  await processes.stopAll();
  await redis?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('a coordinator killed and started again re-attaches to its queued jobs: each run is trained once', async () => {
  const out = path.join(root, 'restarted');
  const w = startWorker('solo');
  const first = compare(out);
  await until('a finished run', () => /solo: finished cls seed \d/.test(w.output()));
  first.child.kill('SIGKILL');
  await first.done;
  const second = await compare(out).done;
  expect(second.code).toBe(0);
  for (const run of RUNS) expect({ run, started: count(w.output(), `solo: started ${run},`) }).toEqual({ run, started: 1 });
  expect(w.output()).not.toMatch(/was finished already/);
  // One job per run in Redis (its id hashes the run's folder and settings): none queued twice.
  const queue = new Queue(QUEUE_NAME, { connection: parseRedisUrl(redis.url).options });
  try {
    const jobs = (await queue.getJobs(['completed', 'active', 'waiting', 'delayed', 'failed'])).filter((j) => j.data.dir.startsWith(out));
    expect(jobs.map((j) => path.basename(j.data.dir)).sort()).toEqual(['seed-1', 'seed-2', 'seed-3']);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(3);
  } finally {
    await queue.close();
  }
  expect(numbers(resultsOf(out).runs)).toEqual(numbers(local));
}, 120_000);

test('Redis restarting empty mid-sweep loses no finished result; the vanished jobs are queued again', async () => {
  const out = path.join(root, 'redis-restart');
  const w = startWorker('w');
  const coordinator = compare(out);
  await until('a finished run', () => /w: finished cls seed \d/.test(w.output()));
  const finishedBefore = RUNS.filter((run) => w.output().includes(`w: finished ${run}:`));
  await redis.restart(); // SIGKILL, no persistence: every job is gone
  const done = await coordinator.done;
  expect(done.output).not.toMatch(/error/);
  expect(done.code).toBe(0);
  expect(done.output).toMatch(/cls seed \d: its job is no longer in Redis; queued again/);
  // A run finished before the restart was read from its folder, not queued and trained again.
  for (const run of finishedBefore) expect({ run, started: count(w.output(), `w: started ${run},`) }).toEqual({ run, started: 1 });
  expect(numbers(resultsOf(out).runs)).toEqual(numbers(local));
}, 120_000);

test('a run that fails on its own (the loss turns NaN) is reported once with its error and not retried', async () => {
  const out = path.join(root, 'diverging');
  const w = startWorker('w');
  const done = await compare(out, '--seeds', '1', '--lr', '1e30').done;
  expect(done.code).toBe(1);
  expect(done.output).toMatch(/maxpoolbert compare: error: 1 of 1 runs failed: cls seed 1 \(cls seed 1 failed on w: run in .* failed \(exit 1\): .*the training loss became NaN/);
  await new Promise((r) => setTimeout(r, 3000)); // longer than the retry backoff (2 s)
  expect(count(w.output(), 'w: started cls seed 1')).toBe(1);
  expect(count(w.output(), 'w: failed cls seed 1')).toBe(1);
  expect(w.output()).toMatch(/\(not retried: it would fail the same way anywhere\)/);
  const queue = new Queue(QUEUE_NAME, { connection: parseRedisUrl(redis.url).options });
  try {
    const [job] = await queue.getJobs(['failed']);
    expect({ state: await job!.getState(), attemptsMade: job!.attemptsMade }).toEqual({ state: 'failed', attemptsMade: 1 });
  } finally {
    await queue.close();
  }
  // The password never shows: not in any output, not in any file the runs wrote.
  for (const text of [done.output, w.output()]) expect(text).not.toContain(PASSWORD);
  for (const { file, text } of filesUnder(root)) expect({ file, leaks: text.includes(PASSWORD) }).toEqual({ file, leaks: false });
}, 60_000);

test('a wrong password is one line within seconds, without showing it', async () => {
  const url = `redis://:wrong-guess-77@127.0.0.1:${redis.port}`;
  const started = Date.now();
  const r = await cli('compare', ...SETTINGS, '--out', path.join(root, 'wrong'), '--queue', url);
  const w = await cli('worker', '--queue', url);
  expect(Date.now() - started).toBeLessThan(10_000);
  for (const x of [r, w]) {
    expect(x.code).toBe(1);
    expect(x.stderr.trim().split('\n')).toHaveLength(1);
    expect(x.stderr).toMatch(new RegExp(`cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port} \\((WRONGPASS|ERR invalid password)`));
    expect(x.stderr).not.toContain('wrong-guess-77');
  }
  expect(fs.existsSync(path.join(root, 'wrong'))).toBe(false); // refused before any work
});
