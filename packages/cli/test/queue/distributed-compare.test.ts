// `compare --queue` through a real Redis (redis-server on a free port, with a password) and real
// `maxpoolbert worker` processes: a worker killed with SIGKILL mid-run has its job detected as
// stalled and retried on the other worker, which resumes from the dead one's checkpoint; the
// sweep then equals a local compare bit for bit (metrics, losses, history), and the password,
// given in the URL to the compare and in MAXPOOLBERT_REDIS_PASSWORD to the workers, appears in
// no output and no file. Tiny-bert (2 × 32) on 256 SST-2 examples: 32 steps, a checkpoint every 4.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TINY_BERT_DIR } from '../../../../testing/shared-fixtures';
import { cli, tempDir } from '../run-cli';
import { GLUE_DIR, requireBuiltBin } from '../training/helpers';
import { count, filesUnder, numbers, Processes, resultsOf, until, unfinishedStep, type Run } from './queue-helpers';
import { startRedis, type TestRedis } from './redis-server';

const PASSWORD = 'queue-test-secret-8c1f';
const root = tempDir('mpb-queue-');
const processes = new Processes();
let redis: TestRedis;
let local: Run[];

const SETTINGS = [
  '--model', TINY_BERT_DIR, '--heads', 'cls,max-cls', '--layers', '2', '--seeds', '2',
  '--task', 'SST-2', '--data', GLUE_DIR, '--train-limit', '256', '--dev-limit', '16', '--epochs', '1', '--batch-size', '8',
  '--max-length', '16', '--eval-every', '4',
];
const RUNS = ['cls seed 1', 'cls seed 2', 'max-cls seed 1', 'max-cls seed 2'];

/** A worker; the password comes from the environment, not the URL. A short job lock: a dead worker's job is retried within ~4 s. */
const startWorker = (name: string) =>
  processes.start(['worker', '--queue', `redis://127.0.0.1:${redis.port}`, '--name', name, '--backend', 'wasm', '--lock-seconds', '2'], { MAXPOOLBERT_REDIS_PASSWORD: PASSWORD });

beforeAll(async () => {
  requireBuiltBin();
  redis = await startRedis({ password: PASSWORD });
  const r = await cli('compare', ...SETTINGS, '--backend', 'wasm', '--quiet', '--out', path.join(root, 'local'));
  if (r.code !== 0) throw new Error(r.stderr);
  local = resultsOf(path.join(root, 'local')).runs;
}, 120_000);

afterAll(async () => {
  await processes.stopAll();
  await redis?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('a worker killed with SIGKILL mid-run: its run resumes on another worker and the sweep equals the local compare', async () => {
  const out = path.join(root, 'distributed');
  const w1 = startWorker('w1');
  const w2 = startWorker('w2');
  await until('both workers', () => /taking runs from/.test(w1.output()) && /taking runs from/.test(w2.output()));
  const coordinator = processes.start(['compare', ...SETTINGS, '--out', out, '--queue', redis.url]);

  // Kill w1 once the run it trains has a checkpoint, before that run finishes.
  await until('w1 to start a run', () => /w1: started (\S+ seed \d)/.test(w1.output()), 60_000);
  const label = /w1: started (\S+ seed \d)/.exec(w1.output())![1];
  const [head, , seed] = label.split(' ');
  const runDir = path.join(out, 'runs', head, `seed-${seed}`);
  await until(`a checkpoint of ${label}`, () => (unfinishedStep(runDir) ?? 0) >= 4, 60_000, 10);
  w1.child.kill('SIGKILL');
  const killed = await w1.done;
  expect(killed.signal).toBe('SIGKILL');
  const killedAt = unfinishedStep(runDir);
  expect(killedAt).toBeDefined(); // killed mid-run: an unfinished checkpoint is all it left

  const done = await coordinator.done;
  expect(done.output).not.toMatch(/error/);
  expect(done.code).toBe(0);
  // BullMQ saw w1's job stall and gave it to w2, which resumed from w1's last checkpoint.
  expect(w2.output()).toMatch(new RegExp(`w2: started ${label} \\(resuming at step ${killedAt}/32\\), attempt 2, job run-[0-9a-f]{32}`));
  expect(done.output).toContain(`${label}: retried on w2 (attempt 2)`);
  for (const run of RUNS) expect(count(w2.output(), `w2: finished ${run}:`) + count(w1.output(), `w1: finished ${run}:`)).toBe(1);
  // The same files and tables as a local compare, and the same numbers to the last bit.
  for (const f of ['results.json', 'results.csv', 'summary.csv', 'compare.svg']) expect(fs.existsSync(path.join(out, f))).toBe(true);
  expect(done.output).toMatch(/Against the baseline cls/);
  const distributed = resultsOf(out).runs;
  expect(distributed.map((r) => r.backend)).toEqual(['wasm', 'wasm', 'wasm', 'wasm']);
  expect(numbers(distributed)).toEqual(numbers(local));
  // The password went in the compare's URL and the workers' environment: never printed or stored.
  for (const text of [done.output, w1.output(), w2.output()]) expect(text).not.toContain(PASSWORD);
  for (const { file, text } of filesUnder(out)) expect({ file, leaks: text.includes(PASSWORD) }).toEqual({ file, leaks: false });
}, 180_000);
