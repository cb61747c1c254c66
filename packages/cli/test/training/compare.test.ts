// `maxpoolbert compare` end to end: 2 heads × 2 seeds on a small SST-2 subset (wasm). It writes
// results.json / results.csv / compare.svg and a table; a rerun trains nothing, an interrupted
// compare trains only what is missing, and --parallel (child processes running the built bin)
// gives the same numbers as the sequential in-process runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, tempDir } from '../run-cli';
import { checkXml, GLUE_DIR, initTinySmallVocab, readJson, requireBuiltBin } from './helpers';
import { itNative } from '../native-available';
import { childThreads } from '../../src/commands/compare';

const root = tempDir('mpb-compare-');
const model = path.join(root, 'tiny');
const out = path.join(root, 'seq');
const HEADS = ['cls', 'max-cls'];
const RUNS = HEADS.flatMap((head) => [1, 2].map((seed) => ({ head, seed })));

const argv = (o: string, ...more: string[]) => [
  'compare', '--model', model, '--heads', HEADS.join(','), '--layers', '2', '--seeds', '2',
  '--task', 'SST-2', '--data', GLUE_DIR, '--train-limit', '200', '--dev-limit', '100',
  '--epochs', '1', '--batch-size', '16', '--lr', '1e-3', '--max-length', '32', '--backend', 'wasm', '--out', o,
  // These tests look into (and break) the runs' checkpoints, which a compare drops by default.
  '--keep-checkpoints', ...more,
];

interface Run {
  head: string;
  seed: number;
  best: { step: number; metrics: Record<string, number> } | null;
  history: { step: number; metrics: Record<string, number> }[];
  losses: number[];
  steps: number;
  trainSeconds: number;
}
interface Results {
  title: string;
  mainMetric: string;
  heads: string[];
  seeds: number[];
  summary: { head: string; runs: number; metrics: Record<string, { mean: number; std: number; min: number; max: number }> }[];
  runs: Run[];
}

/** What must not depend on how (or in which process) a run was trained. */
const numbers = (r: Run) => ({ head: r.head, seed: r.seed, steps: r.steps, losses: r.losses, best: { step: r.best?.step, metrics: r.best?.metrics }, history: r.history.map((h) => ({ step: h.step, metrics: h.metrics })) });
const runDir = (o: string, head: string, seed: number) => path.join(o, 'runs', head, `seed-${seed}`);
const mtime = (o: string, head: string, seed: number) => fs.statSync(path.join(runDir(o, head, seed), 'checkpoint', 'model.safetensors')).mtimeMs;

let first: { code: number; stdout: string; stderr: string };
let results: Results;

beforeAll(async () => {
  await initTinySmallVocab(model);
  first = await cli(...argv(out));
  results = readJson<Results>(path.join(out, 'results.json'));
}, 120_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

it('trains every head × seed and prints a table with mean ± std per head', () => {
  expect(first.stderr).not.toMatch(/error/);
  expect(first.code).toBe(0);
  const lines = first.stdout.split('\n');
  expect(lines[0]).toBe('SST-2 (200 of 67349 train, 100 dev examples), 2 seeds');
  for (const head of HEADS) {
    const row = lines.find((l) => l.trim().split(/\s+/)[0] === head);
    expect(row).toBeDefined();
    expect(row).toMatch(/\d+\.\d\d ± \d+\.\d\d/);
  }
  expect(first.stdout).toContain(`results: ${path.resolve(out, 'results.json')}, ${path.resolve(out, 'results.csv')}`);
  // One progress line per finished run.
  for (const { head, seed } of RUNS) expect(first.stderr).toMatch(new RegExp(`\\] ${head} seed ${seed}: accuracy 0\\.\\d{4} in `));
});

it('results.json has the 4 runs and a summary per head that agrees with them', () => {
  expect(results).toMatchObject({ mainMetric: 'accuracy', heads: HEADS, seeds: [1, 2] });
  expect(results.runs.map((r) => ({ head: r.head, seed: r.seed, steps: r.steps }))).toEqual(RUNS.map((r) => ({ ...r, steps: 13 })));
  expect(results.summary.map((s) => [s.head, s.runs])).toEqual([['cls', 2], ['max-cls', 2]]);
  for (const s of results.summary) {
    const accs = results.runs.filter((r) => r.head === s.head).map((r) => r.best!.metrics.accuracy!);
    expect(s.metrics.accuracy!.mean).toBeCloseTo((accs[0]! + accs[1]!) / 2, 12);
    expect(s.metrics.accuracy!.min).toBe(Math.min(...accs));
    expect(s.metrics.accuracy!.max).toBe(Math.max(...accs));
  }
  // The seeds differ, so their runs do.
  expect(results.runs[0]!.losses).not.toEqual(results.runs[1]!.losses);
  // Each run has its own folder with a best model and a finished checkpoint.
  for (const { head, seed } of RUNS) {
    expect(fs.existsSync(path.join(runDir(out, head, seed), 'best', 'model.safetensors'))).toBe(true);
    expect(readJson(path.join(runDir(out, head, seed), 'checkpoint', 'trainer_state.json'))).toMatchObject({ finished: true, step: 13 });
    expect(readJson(path.join(runDir(out, head, seed), 'checkpoint', 'config.json'))).toMatchObject({ maxpoolbert_head: { type: head } });
  }
});

it('results.csv has a header and one row per run', () => {
  const lines = fs.readFileSync(path.join(out, 'results.csv'), 'utf8').trimEnd().split('\n');
  expect(lines[0]).toBe('head,seed,accuracy,best_step,steps,train_seconds,stopped_early');
  expect(lines).toHaveLength(5);
  lines.slice(1).forEach((line, i) => {
    const [head, seed, accuracy, bestStep, steps, , stopped] = line.split(',');
    const run = results.runs[i]!;
    expect({ head, seed: Number(seed), accuracy: Number(accuracy), bestStep: Number(bestStep), steps: Number(steps), stopped })
      .toEqual({ head: run.head, seed: run.seed, accuracy: run.best!.metrics.accuracy, bestStep: run.best!.step, steps: 13, stopped: 'false' });
  });
});

it('compare.svg is a well-formed SVG that names both heads', () => {
  const svg = fs.readFileSync(path.join(out, 'compare.svg'), 'utf8');
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  const elements = checkXml(svg);
  expect(elements[0]).toBe('svg');
  expect(elements).toEqual(expect.arrayContaining(['rect', 'text']));
  for (const head of HEADS) expect(svg).toContain(`>${head}<`);
});

it('running it again trains nothing and gives the same results', async () => {
  const before = RUNS.map(({ head, seed }) => mtime(out, head, seed));
  const started = performance.now();
  const again = await cli(...argv(out));
  expect(again.code).toBe(0);
  expect(performance.now() - started).toBeLessThan(15_000);
  expect(RUNS.map(({ head, seed }) => mtime(out, head, seed))).toEqual(before);
  expect(readJson<Results>(path.join(out, 'results.json')).runs).toEqual(results.runs);
});

it('an interrupted compare trains only the missing run, to the same numbers', async () => {
  fs.rmSync(runDir(out, 'max-cls', 2), { recursive: true }); // never started
  fs.rmSync(path.join(runDir(out, 'cls', 1), 'results.json')); // killed after its last checkpoint
  const before = RUNS.slice(0, 3).map(({ head, seed }) => mtime(out, head, seed));
  const again = await cli(...argv(out));
  expect(again.code).toBe(0);
  expect(RUNS.slice(0, 3).map(({ head, seed }) => mtime(out, head, seed))).toEqual(before);
  const now = readJson<Results>(path.join(out, 'results.json'));
  expect(now.runs.slice(0, 3)).toEqual(results.runs.slice(0, 3));
  expect(numbers(now.runs[3]!)).toEqual(numbers(results.runs[3]!));
});

it('--parallel 2 trains in child processes and gets the same numbers as the sequential runs', async () => {
  requireBuiltBin();
  const par = path.join(root, 'par');
  const r = await cli(...argv(par, '--parallel', '2', '--quiet'));
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const parallel = readJson<Results>(path.join(par, 'results.json'));
  expect(parallel.runs.map(numbers)).toEqual(results.runs.map(numbers));
  expect(parallel.summary.map((s) => s.metrics)).toEqual(results.summary.map((s) => s.metrics));
  // Each run went through `maxpoolbert train` in its own process, logging to its folder.
  for (const { head, seed } of RUNS) expect(fs.existsSync(path.join(runDir(par, head, seed), 'train.log'))).toBe(true);
}, 120_000);

it('--parallel N gives each child its share of a thread pool, and nothing where OMP_NUM_THREADS sizes it', () => {
  expect(childThreads({ threads: 2 }, 2, {})).toBe(1);
  expect(childThreads({ threads: 16 }, 3, {})).toBe(5);
  expect(childThreads({ threads: 2 }, 4, {})).toBe(1);
  expect(childThreads({ threads: 2 }, 2, { OMP_NUM_THREADS: '2' })).toBeUndefined();
  expect(childThreads({}, 2, {})).toBeUndefined(); // wasm: one thread, no pool
});

itNative('--parallel 2 on native: each child trains on its share of the threads, and records it', async () => {
  requireBuiltBin();
  const saved = process.env.OMP_NUM_THREADS;
  delete process.env.OMP_NUM_THREADS;
  try {
    const nat = path.join(root, 'native');
    const r = await cli('compare', '--model', model, '--heads', 'cls', '--layers', '2', '--seeds', '2', '--task', 'SST-2', '--data', GLUE_DIR,
      '--train-limit', '32', '--dev-limit', '16', '--epochs', '1', '--batch-size', '16', '--max-length', '32',
      '--backend', 'native', '--threads', '2', '--parallel', '2', '--quiet', '--out', nat);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const runs = readJson<Results>(path.join(nat, 'results.json')).runs as (Run & { backend: string; threads?: number })[];
    expect(runs.map((run) => [run.backend, run.threads])).toEqual([['native', 1], ['native', 1]]);
  } finally {
    if (saved !== undefined) process.env.OMP_NUM_THREADS = saved;
  }
}, 120_000);
