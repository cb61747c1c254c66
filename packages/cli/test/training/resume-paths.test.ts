// A run started with relative data paths can be resumed from any working folder: the saved
// training_args.json records absolute paths (as it does for --model).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, tempDir } from '../run-cli';
import { initTinySmallVocab, readJson } from './helpers';

const root = tempDir('mpb-paths-');
const cwd = process.cwd();

afterAll(() => {
  process.chdir(cwd);
  fs.rmSync(root, { recursive: true, force: true });
});

it('train with relative --train/--dev, then --resume from another folder', async () => {
  const model = await initTinySmallVocab(path.join(root, 'tiny'));
  fs.mkdirSync(path.join(root, 'data'));
  const rows = ['sentence\tlabel', 'a good film\t1', 'a bad film\t0', 'great fun\t1', 'dull and boring\t0', 'it is wonderful\t1', 'it is awful\t0'];
  fs.writeFileSync(path.join(root, 'data', 'train.tsv'), rows.join('\n') + '\n');
  fs.writeFileSync(path.join(root, 'data', 'dev.tsv'), rows.slice(0, 5).join('\n') + '\n');
  const out = path.join(root, 'out');

  process.chdir(root);
  try {
    const r = await cli('train', '--model', model, '--head', 'cls', '--train', 'data/train.tsv', '--dev', 'data/dev.tsv',
      '--text-column', 'sentence', '--label-column', 'label', '--epochs', '1', '--batch-size', '2', '--max-length', '16',
      '--backend', 'wasm', '--quiet', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  } finally {
    process.chdir(cwd);
  }
  expect(readJson(path.join(out, 'checkpoint', 'training_args.json'))).toMatchObject({
    data: { trainFile: path.join(root, 'data', 'train.tsv'), devFile: path.join(root, 'data', 'dev.tsv') },
  });

  process.chdir(path.join(root, 'data'));
  try {
    const before = readJson(path.join(out, 'results.json'));
    const resumed = await cli('train', '--resume', out, '--backend', 'wasm', '--quiet');
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(readJson(path.join(out, 'results.json'))).toEqual(before);
  } finally {
    process.chdir(cwd);
  }
});
