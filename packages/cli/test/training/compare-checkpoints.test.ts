// A compare keeps what a finished run is for (best/, results.json) and drops its checkpoint/
// (weights + optimizer moments) unless --keep-checkpoints; a rerun still knows the run is
// finished. While it trains it shows the run in flight with the rate and the ETA of the whole
// compare, in process and with --parallel (whose children run the built bin). tiny-bert, wasm.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TINY_BERT_DIR } from '../../../../testing/shared-fixtures';
import { cli, tempDir } from '../run-cli';
import { GLUE_DIR, readJson, requireBuiltBin } from './helpers';

const root = tempDir('mpb-compare-ckpt-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const HEADS = ['cls', 'mean'];
/** 4 steps per run (32 examples, batch 8). */
const argv = (out: string, ...more: string[]) => [
  'compare', '--model', TINY_BERT_DIR, '--heads', HEADS.join(','), '--seeds', '1', '--task', 'SST-2', '--data', GLUE_DIR,
  '--train-limit', '32', '--dev-limit', '16', '--batch-size', '8', '--epochs', '1', '--max-length', '16', '--backend', 'wasm', '--out', out, ...more,
];
const runDir = (out: string, head: string) => path.join(out, 'runs', head, 'seed-1');
const mtime = (file: string) => fs.statSync(file).mtimeMs;

describe('after each run of a compare', () => {
  const out = path.join(root, 'default');
  let first: Awaited<ReturnType<typeof cli>>;
  beforeAll(async () => {
    first = await cli(...argv(out));
  }, 120_000);

  it('its checkpoint/ is gone, its best/ and results.json stay', () => {
    expect(first.code).toBe(0);
    for (const head of HEADS) {
      const entries = fs.readdirSync(runDir(out, head));
      expect(entries).toContain('best');
      expect(entries).toContain('results.json');
      expect(entries.filter((e) => e.includes('checkpoint'))).toEqual([]);
      expect(fs.existsSync(path.join(runDir(out, head), 'best', 'model.safetensors'))).toBe(true);
    }
  });

  it('progress shows the run in flight, then each finished run', () => {
    expect(first.stderr).toMatch(/^compare: \d+% 0\/2 runs done, in flight: cls seed 1 \d\/4; elapsed 0:\d\d, ETA [-\d:]+ \(whole compare\)$/m);
    expect(first.stderr).toMatch(/^\[1\/2\] cls seed 1: accuracy 0\.\d{4} in /m);
    expect(first.stderr).toMatch(/^\[2\/2\] mean seed 1: accuracy 0\.\d{4} in /m);
  });

  it('a rerun finds every run finished (results.json) and trains nothing', async () => {
    const results = readJson<{ runs: unknown[] }>(path.join(out, 'results.json')).runs;
    const weights = HEADS.map((h) => mtime(path.join(runDir(out, h), 'best', 'model.safetensors')));
    const again = await cli(...argv(out));
    expect(again.code).toBe(0);
    expect(HEADS.map((h) => mtime(path.join(runDir(out, h), 'best', 'model.safetensors')))).toEqual(weights);
    expect(again.stderr).not.toMatch(/in flight/);
    expect(again.stdout).toBe(first.stdout);
    expect(readJson<{ runs: unknown[] }>(path.join(out, 'results.json')).runs).toEqual(results);
  });
});

describe('--keep-checkpoints', () => {
  const out = path.join(root, 'keep');

  it('keeps them; a rerun without it drops them (a compare killed before the drop), training nothing', async () => {
    const kept = await cli(...argv(out, '--keep-checkpoints', '--quiet'));
    expect(kept.code).toBe(0);
    for (const head of HEADS) expect(readJson(path.join(runDir(out, head), 'checkpoint', 'trainer_state.json'))).toMatchObject({ finished: true, step: 4 });
    const results = fs.readFileSync(path.join(out, 'results.json'), 'utf8');
    // What a kill in the middle of removing a checkpoint leaves.
    fs.mkdirSync(path.join(runDir(out, 'cls'), '.checkpoint.dropped-999999'));
    const rerun = await cli(...argv(out, '--quiet'));
    expect(rerun.code).toBe(0);
    for (const head of HEADS) expect(fs.readdirSync(runDir(out, head)).filter((e) => e.includes('checkpoint'))).toEqual([]);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')).runs).toEqual(JSON.parse(results).runs);
  }, 120_000);
});

it('--parallel 2: children report their steps to the progress line; their checkpoints go too', async () => {
  requireBuiltBin();
  const out = path.join(root, 'parallel');
  const r = await cli(...argv(out, '--parallel', '2'));
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/^compare: \d+% 0\/2 runs done, in flight: cls seed 1 \d\/4, mean seed 1 \d\/4; /m);
  for (const head of HEADS) {
    const entries = fs.readdirSync(runDir(out, head));
    expect(entries).toEqual(expect.arrayContaining(['best', 'results.json', 'steps.jsonl', 'train.log']));
    expect(entries.filter((e) => e.includes('checkpoint'))).toEqual([]);
    const steps = fs.readFileSync(path.join(runDir(out, head), 'steps.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; step?: number });
    expect(steps.filter((s) => s.type === 'step').map((s) => s.step)).toEqual([1, 2, 3, 4]);
  }
}, 120_000);
