// The benchmark command's smoke test: structure and sanity of the results, never timings.
// Configurations run in child processes of the built bin (npm test builds first).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeConfig } from '../src/bench/spawn';
import { planBench } from '../src/bench/plan';
import type { BenchDocument } from '../src/bench/report';
import { cli, tempDir } from './run-cli';
import { requireBuiltBin } from './training/helpers';

const root = tempDir('mpb-bench-');

it('benchmarks the tiny preset (inference and training, cls and max-seq-mha) on wasm and writes JSON, Markdown and SVG', async () => {
  requireBuiltBin();
  const json = path.join(root, 'tiny.json');
  const r = await cli('bench', '--preset', 'tiny', '--backend', 'wasm', '--batch', '2', '--seq', '16', '--warmup', '1', '--runs', '2',
    '--heads', 'cls,max-seq-mha', '--train', '--json', json);
  expect(r.stderr).not.toMatch(/failed/);
  expect(r.code).toBe(0);
  const doc = JSON.parse(fs.readFileSync(json, 'utf8')) as BenchDocument;
  expect(doc).toMatchObject({ schema: 'maxpoolbert-bench/1', settings: { presets: ['tiny'], backends: ['wasm'], isolation: 'child-process' }, skipped: [], failed: [] });
  expect(typeof doc.flopFormula).toBe('string');
  expect(doc.results.map((x) => `${x.head} ${x.mode}`).sort()).toEqual(['cls inference', 'cls train', 'max-seq-mha inference', 'max-seq-mha train']);
  for (const x of doc.results) {
    expect(x).toMatchObject({ backend: 'wasm', tfBackend: 'wasm', preset: 'tiny', batch: 2, seq: 16, leakedTensorsPerStep: 0, rssScope: 'configuration' });
    expect(x.timing.samplesMs).toHaveLength(2);
    expect(x.timing.warmupMs).toHaveLength(1);
    const positive = [
      x.timing.medianMs, x.timing.minMs, x.timing.maxMs, x.itemsPerSecond, x.flopsPerStep, x.gflops.median, x.gflops.best,
      x.ceiling.gflops, x.ceilingRatio, x.peakRssMB, x.memory.afterBuild.numBytes, x.memory.peakStepBytes, x.parameters.total,
    ];
    for (const v of positive) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThan(0);
    }
    expect(x.flopsPerStep).toBe(x.mode === 'train' ? x.flops.trainStep : x.flops.forward);
    if (x.head === 'cls') expect(x.headOverheadPercent).toBeNull();
    else {
      expect(Number.isFinite(x.headOverheadPercent)).toBe(true);
      expect(x.parameters.head).toBeGreaterThan(0);
    }
  }
  const md = fs.readFileSync(path.join(root, 'tiny.md'), 'utf8');
  expect(md).toMatch(/\| wasm \| tiny \| max-seq-mha \| train \| 2×16 \|/);
  expect(fs.readFileSync(path.join(root, 'tiny.svg'), 'utf8')).toMatch(/^<svg[^>]*xmlns/);
  expect(r.stdout).toContain(md.split('\n')[4]!); // the table is printed too
});

it('--in-process --profile runs in this process and adds time per kernel type', async () => {
  const json = path.join(root, 'profile.json');
  const r = await cli('bench', '--preset', 'tiny', '--backend', 'wasm', '--batch', '1', '--seq', '8', '--runs', '1', '--heads', 'cls',
    '--in-process', '--profile', '--quiet', '--json', json);
  expect(r.code).toBe(0);
  const [x] = (JSON.parse(fs.readFileSync(json, 'utf8')) as BenchDocument).results;
  expect(x!.rssScope).toBe('process');
  const kernels = x!.profile!.kernels;
  expect(kernels.map((k) => k.kernel)).toContain('BatchMatMul');
  expect(kernels[0]!.totalMs).toBeGreaterThanOrEqual(kernels[kernels.length - 1]!.totalMs);
  expect(r.stdout).toMatch(/## Profile: wasm tiny cls inference 1×8/);
});

it('rejects unknown presets, heads and backends before running anything', async () => {
  for (const [flag, value, message] of [
    ['--preset', 'huge', /--preset must be all or among/], ['--heads', 'nope', /nope/], ['--backend', 'tpu', /unknown backend "tpu"/],
  ] as const) {
    const r = await cli('bench', flag, value, '--json', path.join(root, 'never.json'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
  }
  expect(fs.existsSync(path.join(root, 'never.json'))).toBe(false);
});

it('--preset all leaves out bert-large, and medium and base on the JS cpu backend, and keeps its mini and small to inference, saying why', () => {
  const { configs, skipped } = planBench({
    backends: ['wasm', 'cpu'], presets: ['tiny', 'mini', 'small', 'medium', 'base', 'large'], heads: ['cls'], batches: [8], seqs: [128],
    train: true, warmup: 1, runs: 5, profile: false, capped: true, threads: [2],
  });
  const names = configs.map((c) => `${c.backend} ${c.preset} ${c.mode} ${c.runs}`);
  expect(names).toEqual([
    ...['tiny', 'mini', 'small', 'medium', 'base'].flatMap((p) => [`wasm ${p} inference 5`, `wasm ${p} train 5`]),
    'cpu tiny inference 5', 'cpu tiny train 5', 'cpu mini inference 3', 'cpu small inference 2',
  ]);
  expect(skipped.map((s) => `${s.backend} ${s.preset} ${s.mode ?? 'all'}`)).toEqual([
    'wasm large all', 'cpu mini train', 'cpu small train', 'cpu medium all', 'cpu base all', 'cpu large all',
  ]);
  for (const s of skipped) expect(s.reason.length).toBeGreaterThan(20);
});

it('runs native and the onnxruntime reference once per thread count, the reference for inference with cls only', () => {
  const { configs, skipped } = planBench({
    backends: ['native', 'wasm', 'onnxruntime'], presets: ['base'], heads: ['cls', 'max-seq-mha'], batches: [8], seqs: [128],
    train: true, warmup: 1, runs: 5, profile: true, capped: false, threads: [1, 2],
  });
  expect(configs.map((c) => describeConfig(c))).toEqual([
    'native 1 thread base cls inference 8×128', 'native 1 thread base max-seq-mha inference 8×128',
    'native 1 thread base cls train 8×128', 'native 1 thread base max-seq-mha train 8×128',
    'native 2 threads base cls inference 8×128', 'native 2 threads base max-seq-mha inference 8×128',
    'native 2 threads base cls train 8×128', 'native 2 threads base max-seq-mha train 8×128',
    'wasm base cls inference 8×128', 'wasm base max-seq-mha inference 8×128', 'wasm base cls train 8×128', 'wasm base max-seq-mha train 8×128',
    'onnxruntime 1 thread base cls inference 8×128', 'onnxruntime 2 threads base cls inference 8×128',
  ]);
  // tf.profile means nothing outside tfjs.
  expect(configs.filter((c) => c.backend === 'onnxruntime').every((c) => !c.profile)).toBe(true);
  expect(skipped).toEqual([{ backend: 'onnxruntime', preset: 'base', mode: 'train', reason: expect.stringMatching(/inference only/) }]);
});
