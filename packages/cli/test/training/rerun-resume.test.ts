// What a rerun or a resume does with settings that differ from the saved run's, what a kill in
// the swap of best/ leaves, that a run which cannot start leaves no folder, and how
// file-system errors read. In-process CLI on the tiny-bert fixture (2 × 32), except where a
// child process needs a file-size limit.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TINY_BERT_DIR } from '../../../../testing/shared-fixtures';
import { cli, tempDir } from '../run-cli';
import { BIN, GLUE_DIR, readJson, requireBuiltBin, temporaries } from './helpers';

const root = tempDir('mpb-rerun-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** 4 steps per epoch (32 examples, batch 8). */
const DATA = ['--task', 'SST-2', '--data', GLUE_DIR, '--train-limit', '32', '--dev-limit', '16', '--batch-size', '8', '--max-length', '16', '--backend', 'wasm', '--quiet'];
const train = (out: string, ...more: string[]) => cli('train', '--model', TINY_BERT_DIR, '--head', 'cls', ...DATA, '--out', out, ...more);

interface Results {
  steps: number;
  bestModel: string;
  settings: { options: { epochs: number; learningRate: number }; dataFingerprint: string };
}
const mtime = (file: string) => fs.statSync(file).mtimeMs;
const oneLine = (stderr: string) => {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  return stderr.trim();
};

describe('a compare run again into the same --out', () => {
  const out = path.join(root, 'compare');
  const argv = (...more: string[]) => ['compare', '--model', TINY_BERT_DIR, '--heads', 'cls,mean', '--seeds', '1', ...DATA, '--epochs', '1', '--out', out, ...more];
  const weights = (head: string) => path.join(out, 'runs', head, 'seed-1', 'best', 'model.safetensors');

  beforeAll(async () => {
    const first = await cli(...argv());
    if (first.code !== 0) throw new Error(first.stderr);
  }, 120_000);

  it('with the same settings reuses the runs', async () => {
    const before = ['cls', 'mean'].map((h) => mtime(weights(h)));
    const again = await cli(...argv());
    expect(again.code).toBe(0);
    expect(['cls', 'mean'].map((h) => mtime(weights(h)))).toEqual(before);
  });

  it('with other settings is refused in one line naming each difference, and trains nothing', async () => {
    const before = ['cls', 'mean'].map((h) => mtime(weights(h)));
    const r = await cli(...argv('--epochs', '2', '--lr', '1e-3'));
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(
      `maxpoolbert compare: error: ${out} holds runs trained with other settings (runs/cls/seed-1, runs/mean/seed-1): ` +
        '--epochs 1 → 2, --lr 0.00002 → 0.001; pass --force to train those runs again with these settings, or choose another --out',
    );
    const data = await cli(...argv('--train-limit', '24', '--dev-limit', '12'));
    expect(data.code).toBe(2);
    expect(data.stderr).toContain('other settings (runs/cls/seed-1, runs/mean/seed-1): --train-limit 32 → 24, --dev-limit 16 → 12; pass --force');
    expect(['cls', 'mean'].map((h) => mtime(weights(h)))).toEqual(before);
  });

  it('with --force trains those runs again with the new settings, and records them', async () => {
    const r = await cli(...argv('--epochs', '2', '--force'));
    expect(r.code).toBe(0);
    const runs = readJson<{ runs: Results[] }>(path.join(out, 'results.json')).runs;
    expect(runs.map((run) => [run.steps, run.settings.options.epochs])).toEqual([[8, 2], [8, 2]]);
    // And a plain rerun with those settings is content.
    expect((await cli(...argv('--epochs', '2'))).code).toBe(0);
  }, 120_000);
});

it('a compare rerun on data files edited in place is refused too (same paths, other examples)', async () => {
  const dir = path.join(root, 'files');
  fs.mkdirSync(dir);
  const rows = (flip: boolean) => ['sentence\tlabel', ...Array.from({ length: 16 }, (_, i) => `film number ${i} was ${i % 2 ? 'good' : 'bad'}\t${(i % 2) ^ (flip && i === 0 ? 1 : 0)}`)].join('\n') + '\n';
  fs.writeFileSync(path.join(dir, 'train.tsv'), rows(false));
  fs.writeFileSync(path.join(dir, 'dev.tsv'), rows(false));
  const out = path.join(root, 'files-out');
  const argv = ['compare', '--model', TINY_BERT_DIR, '--heads', 'cls', '--seeds', '1', '--train', path.join(dir, 'train.tsv'), '--dev', path.join(dir, 'dev.tsv'),
    '--text-column', 'sentence', '--label-column', 'label', '--epochs', '1', '--batch-size', '8', '--max-length', '16', '--backend', 'wasm', '--quiet', '--out', out];
  expect((await cli(...argv)).code).toBe(0);
  fs.writeFileSync(path.join(dir, 'train.tsv'), rows(true)); // one label changed
  const r = await cli(...argv);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('other settings (runs/cls/seed-1): the data (same files and flags, other examples); pass --force');
}, 60_000);

describe('train --resume', () => {
  it('refuses, by name and in one line, the flags a resume cannot change, before anything runs', async () => {
    const out = path.join(root, 'fixed');
    expect((await train(out, '--epochs', '1')).code).toBe(0);
    const state = fs.readFileSync(path.join(out, 'checkpoint', 'trainer_state.json'));
    const r = await cli('train', '--resume', out, '--batch-size', '4', '--head', 'mha', '--train-limit', '16', '--seed', '7');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(
      'maxpoolbert train: error: train --resume: --batch-size, --head, --train-limit, --seed cannot change when resuming ' +
        '(the run keeps the settings it started with; start a new run with another --out for that); ' +
        'a resume may change --lr, --epochs, --early-stopping, --eval-every, --eval-batch-size, --max-grad-norm',
    );
    expect(fs.readFileSync(path.join(out, 'checkpoint', 'trainer_state.json')).equals(state)).toBe(true);
  }, 60_000);

  it('applies a lower --lr to a run that diverged, which a plain resume repeats', async () => {
    const out = path.join(root, 'diverged');
    // Diverges at step 4; the checkpoint of step 2 still holds usable weights.
    const first = await train(out, '--epochs', '2', '--lr', '1e6', '--warmup-ratio', '0', '--eval-every', '2');
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/the training loss became NaN at step \d+ .*try a lower learning rate/);
    const same = await cli('train', '--resume', out, '--backend', 'wasm', '--quiet');
    expect(same.code).toBe(1);
    expect(same.stderr).toMatch(/the training loss became NaN/);

    const lower = await cli('train', '--resume', out, '--lr', '1e-4', '--backend', 'wasm');
    expect(lower.stderr).toMatch(new RegExp(`resuming ${out} at step \\d+/8 with --lr 1000000 → 0.0001\\n`));
    expect(lower.code).toBe(0);
    const results = readJson<Results>(path.join(out, 'results.json'));
    expect(results.steps).toBe(8);
    expect(results.settings.options.learningRate).toBe(1e-4);
    // Kept for the next resume too.
    expect(readJson<{ options: { learningRate: number } }>(path.join(out, 'checkpoint', 'training_args.json')).options.learningRate).toBe(1e-4);
  }, 90_000);

  it('--epochs extends a finished run, and fewer epochs than were done is refused', async () => {
    const out = path.join(root, 'longer');
    expect((await train(out, '--epochs', '1')).code).toBe(0);
    const longer = await cli('train', '--resume', out, '--epochs', '2', '--backend', 'wasm', '--quiet');
    expect(longer.code).toBe(0);
    expect(longer.stdout).toContain(': 8 steps in ');
    expect(readJson(path.join(out, 'checkpoint', 'trainer_state.json'))).toMatchObject({ step: 8, totalSteps: 8, finished: true });
    const shorter = await cli('train', '--resume', out, '--epochs', '1', '--backend', 'wasm', '--quiet');
    expect(shorter.code).toBe(2);
    expect(shorter.stderr).toContain('--epochs 1 gives 4 steps, but the run is at step 8; pass --epochs 2 or more');
  }, 90_000);
});

it('after a kill in the swap of best/, a resume puts best/ back and prints a path that exists', async () => {
  const out = path.join(root, 'best-swap');
  expect((await train(out, '--epochs', '1')).code).toBe(0);
  const bytes = fs.readFileSync(path.join(out, 'best', 'model.safetensors'));
  // What writeFolderAtomic leaves when killed between its two renames: the old folder moved
  // aside, the new one still a temporary.
  fs.renameSync(path.join(out, 'best'), path.join(out, '.best.previous'));
  fs.mkdirSync(path.join(out, '.best.tmp-12345-abcdef01'));
  fs.writeFileSync(path.join(out, '.best.tmp-12345-abcdef01', 'model.safetensors'), 'half');

  const r = await cli('train', '--resume', out, '--backend', 'wasm', '--quiet');
  expect(r.code).toBe(0);
  const printed = /best model: (.*)\n/.exec(r.stdout)![1]!;
  expect(printed).toBe(path.join(out, 'best'));
  expect(fs.readFileSync(path.join(printed, 'model.safetensors')).equals(bytes)).toBe(true);
  expect(fs.existsSync(path.join(out, '.best.previous'))).toBe(false);
  expect(temporaries(out)).toEqual([]);
}, 60_000);

describe('a run that cannot start creates nothing', () => {
  it.each([
    ['a dropout out of range', ['--head', 'cls', '--dropout', '1.5']],
    ['more layers than the model has', ['--head', 'max-cls', '--layers', '9']],
    ['attention heads that do not divide the width', ['--head', 'mha', '--num-heads', '7']],
    ['a model folder that does not exist', ['--head', 'cls', '--model', path.join(root, 'no-such-model')]],
    ['a --json-log that is a folder', ['--head', 'cls', '--json-log', root]],
  ])('%s: no --out folder, nor the missing folders above it', async (_what, flags) => {
    const top = path.join(root, `never-${flags.join('').replace(/\W/g, '')}`);
    const out = path.join(top, 'a', 'b');
    const r = await cli('train', '--model', TINY_BERT_DIR, ...DATA, '--epochs', '1', '--out', out, ...flags);
    expect(r.code).not.toBe(0);
    oneLine(r.stderr);
    expect(fs.existsSync(top)).toBe(false);
  }, 60_000);

  it('a folder the user made stays, and so does a compare --out', async () => {
    const mine = path.join(root, 'mine');
    fs.mkdirSync(mine);
    expect((await train(mine, '--dropout', '1.5')).code).toBe(1);
    expect(fs.readdirSync(mine)).toEqual([]);
    const out = path.join(root, 'never-compare');
    const r = await cli('compare', '--model', path.join(root, 'no-such-model'), '--heads', 'cls', '--seeds', '1', ...DATA, '--out', out);
    expect(r.code).toBe(1);
    expect(fs.existsSync(out)).toBe(false);
  }, 60_000);
});

describe('file-system errors are one line naming the path, what happened and the fix', () => {
  it('--out under a file (ENOTDIR)', async () => {
    const file = path.join(root, 'plain-file');
    fs.writeFileSync(file, 'x');
    const r = await train(path.join(file, 'out'));
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(
      `maxpoolbert train: error: cannot access ${path.join(file, 'out')}: ${file} is a file where a folder is needed (ENOTDIR); remove or rename that file, or choose another path`,
    );
  });

  it('results.json that is a folder (EISDIR); the checkpoint is kept', async () => {
    const out = path.join(root, 'eisdir');
    expect((await train(out, '--epochs', '1')).code).toBe(0);
    fs.rmSync(path.join(out, 'results.json'));
    fs.mkdirSync(path.join(out, 'results.json'));
    const checkpoint = fs.readFileSync(path.join(out, 'checkpoint', 'model.safetensors'));
    const r = await cli('train', '--resume', out, '--backend', 'wasm', '--quiet');
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(
      `maxpoolbert train: error: cannot write ${path.join(out, 'results.json')}: is a folder where a file is needed (EISDIR); remove or rename that folder, or choose another path`,
    );
    expect(fs.readFileSync(path.join(out, 'checkpoint', 'model.safetensors')).equals(checkpoint)).toBe(true);
  }, 60_000);

  it('a checkpoint that does not fit (a file-size limit; a full disk is the same) leaves the previous one whole', async () => {
    requireBuiltBin();
    const out = path.join(root, 'too-big');
    expect((await train(out, '--epochs', '1')).code).toBe(0);
    const files = ['model.safetensors', 'optimizer.safetensors', 'trainer_state.json', 'training_args.json'];
    const before = files.map((f) => fs.readFileSync(path.join(out, 'checkpoint', f)));
    const best = fs.readFileSync(path.join(out, 'best', 'model.safetensors'));
    // 2 more epochs, under a 1 MiB file-size limit (the weights are 4 MB): bash counts 1024-byte blocks.
    const r = spawnSync('bash', ['-c', 'ulimit -f 1024 && exec "$0" "$@"', process.execPath, BIN, 'train', '--resume', out, '--epochs', '3', '--backend', 'wasm', '--quiet'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(oneLine(r.stderr)).toMatch(new RegExp(
      `^maxpoolbert train: error: cannot write ${out}/(best|checkpoint): file too large for the file system or the file-size limit \\(ulimit -f\\) \\(EFBIG\\); `,
    ));
    expect(files.map((f) => fs.readFileSync(path.join(out, 'checkpoint', f)).equals(before[files.indexOf(f)]!))).toEqual(files.map(() => true));
    expect(fs.readFileSync(path.join(out, 'best', 'model.safetensors')).equals(best)).toBe(true);
    expect(temporaries(out)).toEqual([]);
    // And the run continues from it once there is room.
    const resumed = await cli('train', '--resume', out, '--epochs', '3', '--backend', 'wasm', '--quiet');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(': 12 steps in ');
  }, 90_000);
});
