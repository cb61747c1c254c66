// Runs that used to go wrong with two processes or a kill -9, end to end with the built bin:
// a second train or compare on a busy --out is refused at once (naming the folder and the pid),
// a run killed with SIGKILL leaves a stale lock that the resume takes over, and the children of
// a `compare --parallel` killed with SIGKILL stop within seconds instead of training on.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TINY_BERT_DIR } from '../../../../testing/shared-fixtures';
import { LOCK_FILE } from '../../src/training/out-lock';
import { cli, tempDir } from '../run-cli';
import { GLUE_DIR, readJson, requireBuiltBin, spawnBin, waitFor } from './helpers';

const root = tempDir('mpb-safety-');
const started: ReturnType<typeof spawnBin>[] = [];
const start = (argv: string[]) => {
  const c = spawnBin(argv);
  started.push(c);
  return c;
};

afterAll(async () => {
  for (const c of started) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  await Promise.all(started.map((c) => c.done.catch(() => undefined)));
  fs.rmSync(root, { recursive: true, force: true });
});

/** 8 steps per epoch (64 examples, batch 8), a checkpoint every epoch; tiny-bert is 2 × 32 wide. */
const DATA = ['--task', 'SST-2', '--data', GLUE_DIR, '--train-limit', '64', '--dev-limit', '16', '--batch-size', '8', '--max-length', '16', '--backend', 'wasm', '--quiet'];

const lockOf = (dir: string) => {
  try {
    return readJson<{ pid: number; command: string }>(path.join(dir, LOCK_FILE));
  } catch {
    return undefined;
  }
};
const stepOf = (out: string): number | undefined => {
  try {
    return readJson<{ step: number }>(path.join(out, 'checkpoint', 'trainer_state.json')).step;
  } catch {
    return undefined;
  }
};
/** Whether `pid` has exited (a zombie nobody reaped yet counts as exited). */
const exited = (pid: number): boolean => {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
  } catch {
    return true;
  }
};

it('a second train on a busy --out is refused at once, naming it and the pid; after a kill -9 the run resumes', async () => {
  requireBuiltBin();
  const out = path.join(root, 'train');
  // Long enough (20 epochs) to be still running while the others are tried.
  const first = start(['train', '--model', TINY_BERT_DIR, '--head', 'cls', ...DATA, '--epochs', '20', '--out', out]);
  const holder = await waitFor(() => lockOf(out), 60_000);
  expect(holder).toMatchObject({ pid: first.child.pid, command: 'train' });

  const t0 = performance.now();
  const second = await start(['train', '--model', TINY_BERT_DIR, '--head', 'cls', ...DATA, '--epochs', '20', '--out', out]).done;
  expect(second.code).toBe(1);
  expect(second.output.trim().split('\n')).toEqual([
    expect.stringMatching(new RegExp(`^maxpoolbert train: error: ${out} is in use by train \\(pid ${first.child.pid}, since .*\\): wait for it to finish or stop it`)),
  ]);
  const resumeMeanwhile = await start(['train', '--resume', out, '--backend', 'wasm']).done;
  expect(resumeMeanwhile.output).toContain(`${out} is in use by train (pid ${first.child.pid}`);
  const compareMeanwhile = await start(['compare', '--model', TINY_BERT_DIR, '--heads', 'cls', '--seeds', '1', ...DATA, '--out', out]).done;
  expect(compareMeanwhile.output).toContain(`${out} is in use by train (pid ${first.child.pid}`);
  // "At once": the refusals start no backend and load no data (the first run keeps training).
  expect(performance.now() - t0).toBeLessThan(30_000);

  expect(await waitFor(() => { const s = stepOf(out); return s !== undefined && s >= 8 ? s : undefined; }, 60_000)).toBeDefined();
  first.child.kill('SIGKILL');
  expect((await first.done).signal).toBe('SIGKILL');
  expect(lockOf(out)?.pid).toBe(first.child.pid); // left behind: stale

  // The resume takes the stale lock over and stops one epoch after the last checkpoint instead
  // of after 20 (on a busy machine the run may be several epochs past step 8 when it is killed).
  const killedAt = stepOf(out)!;
  const epochs = killedAt / 8 + 1;
  const resumed = await cli('train', '--resume', out, '--epochs', String(epochs), '--backend', 'wasm', '--quiet');
  expect(resumed.stderr).toBe('');
  expect(resumed.code).toBe(0);
  expect(resumed.stdout).toContain(`: ${epochs * 8} steps in `);
  expect(fs.existsSync(path.join(out, LOCK_FILE))).toBe(false);
}, 180_000);

it('kill -9 of compare --parallel 2 stops its children within seconds; a second compare meanwhile is refused', async () => {
  requireBuiltBin();
  const out = path.join(root, 'compare');
  const argv = ['compare', '--model', TINY_BERT_DIR, '--heads', 'cls,mean', '--seeds', '1', ...DATA, '--parallel', '2', '--out', out];
  const parent = start([...argv, '--epochs', '30']);
  const runDirs = ['cls', 'mean'].map((h) => path.join(out, 'runs', h, 'seed-1'));
  // Each child locks its own run folder while the parent holds OUT: they are not refused by it.
  const childPids = await waitFor(() => {
    const locks = runDirs.map(lockOf);
    return locks.every((l) => l) ? locks.map((l) => l!.pid) : undefined;
  }, 90_000);
  expect(childPids).toBeDefined();
  expect(lockOf(out)).toMatchObject({ pid: parent.child.pid, command: 'compare' });
  for (const pid of childPids!) expect(exited(pid)).toBe(false);

  const second = await start([...argv, '--epochs', '30']).done;
  expect(second.code).toBe(1);
  expect(second.output.trim().split('\n')).toEqual([expect.stringContaining(`maxpoolbert compare: error: ${out} is in use by compare (pid ${parent.child.pid}, since `)]);

  parent.child.kill('SIGKILL');
  expect((await parent.done).signal).toBe('SIGKILL');
  const t0 = performance.now();
  expect(await waitFor(() => (childPids!.every(exited) ? true : undefined), 10_000)).toBe(true);
  expect(performance.now() - t0).toBeLessThan(10_000);

  // The stale locks (OUT's, and the runs' if a child died mid-step) do not block the rerun; here
  // with fewer epochs, which --force allows (the saved runs had other settings).
  const rerun = await cli(...argv, '--epochs', '1', '--force');
  expect(rerun.code).toBe(0);
  const results = readJson<{ runs: { head: string; steps: number }[] }>(path.join(out, 'results.json'));
  expect(results.runs.map((r) => [r.head, r.steps])).toEqual([['cls', 8], ['mean', 8]]);
  for (const dir of [out, ...runDirs]) expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
}, 240_000);
