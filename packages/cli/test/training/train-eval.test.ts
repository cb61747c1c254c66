// `maxpoolbert train` end to end on a real GLUE subset (SST-2, a random tiny BERT, the wasm
// backend): it learns something (beats the dev majority baseline), and writes a best model that
// predict and eval load, results.json, and a complete resumable checkpoint. `eval` on the best
// model reproduces the best metrics exactly.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, readJsonlFile, tempDir, writeJsonlFile } from '../run-cli';
import { GLUE_DIR, glueLabels, initTiny, majorityShare, readJson } from './helpers';

const root = tempDir('mpb-train-');
const model = path.join(root, 'tiny');
const out = path.join(root, 'out');
const data = ['--task', 'SST-2', '--data', GLUE_DIR, '--dev-limit', '200', '--max-length', '32'];

interface Results {
  head: string;
  seed: number;
  mainMetric: string;
  best: { step: number; metrics: Record<string, number> } | null;
  history: { step: number; metrics: Record<string, number> }[];
  losses: number[];
  steps: number;
  bestModel: string;
  backend: string;
  stoppedEarly: boolean;
}

let trained: { code: number; stdout: string; stderr: string };
let seconds: number;

beforeAll(async () => {
  await initTiny(model);
  const started = performance.now();
  // Tuned so a random 2-layer BERT reliably learns some sentiment (0.63–0.65 on several seeds).
  trained = await cli(
    'train', '--model', model, '--head', 'cls', ...data, '--train-limit', '600',
    '--epochs', '3', '--batch-size', '16', '--lr', '1e-3', '--backend', 'wasm', '--out', out,
  );
  seconds = (performance.now() - started) / 1000;
}, 120_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

it('trains to the end and reports it', () => {
  expect(trained.stderr).not.toMatch(/error/);
  expect(trained.code).toBe(0);
  expect(trained.stdout).toMatch(/^cls on SST-2 \(600 of 67349 train, 200 dev examples\), seed 42: 114 steps in .* \(wasm\)$/m);
  expect(trained.stdout).toMatch(/^best dev \(step \d+\): accuracy 0\.\d{4}$/m);
  expect(trained.stdout).toContain(`best model: ${path.join(out, 'best')}`);
  expect(seconds).toBeLessThan(90);
});

it('beats the majority baseline of the dev subset', () => {
  const results = readJson<Results>(path.join(out, 'results.json'));
  // The dev subset is label-stratified, so its majority share is the full dev set's (to ±1 example).
  const baseline = majorityShare(glueLabels('SST-2', 'dev.tsv'));
  expect(baseline).toBeGreaterThan(0.5);
  expect(results.best!.metrics.accuracy).toBeGreaterThan(baseline + 1 / 200 + 0.05);
});

it('writes results.json with the best evaluation, the history and every loss', () => {
  const results = readJson<Results>(path.join(out, 'results.json'));
  expect(results).toMatchObject({ head: 'cls', seed: 42, mainMetric: 'accuracy', steps: 114, backend: 'wasm', stoppedEarly: false, bestModel: path.join(out, 'best') });
  expect(results.history.map((h) => h.step)).toEqual([38, 76, 114]);
  expect(results.losses).toHaveLength(114);
  const bestAcc = Math.max(...results.history.map((h) => h.metrics.accuracy!));
  expect(results.best!.metrics.accuracy).toBe(bestAcc);
  expect(results.history.find((h) => h.step === results.best!.step)).toEqual(results.best);
});

it('leaves a complete, finished checkpoint', () => {
  const dir = path.join(out, 'checkpoint');
  expect(fs.readdirSync(dir).sort()).toEqual([
    'config.json', 'model.safetensors', 'optimizer.safetensors', 'tokenizer_config.json', 'trainer_state.json', 'training_args.json', 'vocab.txt',
  ]);
  const state = readJson(path.join(dir, 'trainer_state.json'));
  expect(state).toMatchObject({ step: 114, totalSteps: 114, epoch: 3, batchInEpoch: 0, finished: true, stoppedEarly: false });
  const args = readJson(path.join(dir, 'training_args.json'));
  expect(args).toMatchObject({
    model, head: { type: 'cls' }, data: { task: 'SST-2', dataDir: GLUE_DIR, trainLimit: 600, devLimit: 200 },
    options: { epochs: 3, batchSize: 16, learningRate: 1e-3, maxLength: 32, seed: 42 }, labels: { names: ['0', '1'] },
  });
  // Adam's two moments for every weight: twice the model's size (plus the headers).
  const modelBytes = fs.statSync(path.join(dir, 'model.safetensors')).size;
  const optimizerBytes = fs.statSync(path.join(dir, 'optimizer.safetensors')).size;
  expect(optimizerBytes / modelBytes).toBeGreaterThan(1.95);
  expect(optimizerBytes / modelBytes).toBeLessThan(2.05);
  // The final weights are the last evaluation's; the best model is the best one's.
  const results = readJson<Results>(path.join(out, 'results.json'));
  const same = fs.readFileSync(path.join(dir, 'model.safetensors')).equals(fs.readFileSync(path.join(out, 'best', 'model.safetensors')));
  expect(same).toBe(results.best!.step === 114);
});

it('the best model is a plain model folder that predict uses', async () => {
  expect(fs.readdirSync(path.join(out, 'best')).sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer_config.json', 'vocab.txt']);
  const config = readJson(path.join(out, 'best', 'config.json'));
  expect(config).toMatchObject({ maxpoolbert_head: { type: 'cls' }, id2label: { 0: '0', 1: '1' } });
  const input = writeJsonlFile(path.join(root, 'in.jsonl'), [
    { text: 'a charming , funny and moving film' }, { text: 'dull , lifeless and badly acted' }, { text: 'it is a movie' },
  ]);
  const output = path.join(root, 'pred.jsonl');
  const r = await cli('predict', '--model', path.join(out, 'best'), '--input', input, '--output', output, '--backend', 'wasm');
  expect(r).toMatchObject({ code: 0, stderr: '' });
  const rows = readJsonlFile(output) as { label: string; probabilities: number[] }[];
  expect(rows).toHaveLength(3);
  for (const row of rows) {
    expect(['0', '1']).toContain(row.label);
    expect(row.probabilities[0]! + row.probabilities[1]!).toBeCloseTo(1, 5);
  }
});

it('eval on the best model prints exactly the best dev metrics', async () => {
  const r = await cli('eval', '--model', path.join(out, 'best'), ...data, '--backend', 'wasm');
  expect(r).toMatchObject({ code: 0, stderr: '' });
  const printed = JSON.parse(r.stdout) as { data: string; examples: number; metrics: Record<string, number>; mainMetric: string; loss: number };
  const results = readJson<Results>(path.join(out, 'results.json'));
  expect(printed).toMatchObject({ examples: 200, mainMetric: 'accuracy', data: 'SST-2 (200 dev examples)' });
  expect(printed.metrics).toEqual(results.best!.metrics);
  expect(printed.loss).toBeCloseTo((results.best as unknown as { loss: number }).loss, 5);
});
