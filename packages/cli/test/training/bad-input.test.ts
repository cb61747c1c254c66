// `maxpoolbert train` on bad input: every mistake fails with a one-line error that says what is
// wrong and where (file, line, option), before any training; --skip-bad-rows skips and reports.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, tempDir } from '../run-cli';
import { initTinySmallVocab } from './helpers';

const root = tempDir('mpb-bad-');
const model = path.join(root, 'tiny');
const POS = ['a good and moving film', 'great fun', 'the best movie of the year', 'funny and smart', 'a charming story', 'beautiful and touching', 'it is wonderful', 'well made and fresh'];
const NEG = ['a bad film', 'dull and boring', 'the worst movie of the year', 'stupid and ugly', 'a mess', 'too long and tedious', 'it is awful', 'flat and lifeless'];
const tsv = (rows: string[][]) => ['sentence\tlabel', ...rows.map((r) => r.join('\t'))].join('\n') + '\n';
const goodRows = POS.flatMap((p, i) => [[p, '1'], [NEG[i]!, '0']]);

const write = (name: string, text: string) => {
  const file = path.join(root, name);
  fs.writeFileSync(file, text);
  return file;
};
const dev = write('dev.tsv', tsv(goodRows.slice(0, 6)));
const columns = ['--text-column', 'sentence', '--label-column', 'label'];
const quick = ['--epochs', '1', '--batch-size', '8', '--max-length', '16', '--backend', 'wasm'];
const out = (name: string) => path.join(root, name);

beforeAll(async () => {
  await initTinySmallVocab(model);
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** One error line, naming the command. */
function expectError(r: { code: number; stdout: string; stderr: string }, code: number) {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^maxpoolbert train: error: [^\n]+\n$/);
  return r.stderr;
}

it('an unknown head fails (a usage error: exit 2) and lists the registered heads', async () => {
  const train = write('train-ok.tsv', tsv(goodRows));
  const r = await cli('train', '--model', model, '--head', 'max-pool-9000', '--train', train, '--dev', dev, ...columns, ...quick, '--out', out('unknown-head'));
  const message = expectError(r, 2);
  expect(message).toContain('unknown head "max-pool-9000"');
  for (const head of ['cls', 'mean', 'max', 'max-cls', 'mha', 'max-seq-mha']) expect(message).toMatch(new RegExp(`[ ,]${head}(,|\\n| )`));
  expect(fs.existsSync(out('unknown-head'))).toBe(false); // checked before anything is created
});

describe('a training file with a bad row', () => {
  // Line 1 is the header; line 5 has no label column.
  const rows = goodRows.map((r) => r.join('\t'));
  rows.splice(3, 0, 'this row lost its label');
  const train = write('train-bad-row.tsv', ['sentence\tlabel', ...rows].join('\n') + '\n');

  it('fails naming the file and the line', async () => {
    const r = await cli('train', '--model', model, '--head', 'cls', '--train', train, '--dev', dev, ...columns, ...quick, '--out', out('bad-row'));
    const message = expectError(r, 1);
    expect(message).toContain(`${train}: line 5: `);
    expect(fs.existsSync(out('bad-row'))).toBe(false);
  });

  it('with --skip-bad-rows, trains on the rest and says how many rows it skipped', async () => {
    const r = await cli('train', '--model', model, '--head', 'cls', '--train', train, '--dev', dev, ...columns, ...quick, '--skip-bad-rows', '--out', out('skipped'));
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`note: skipped 1 bad rows in ${train}`);
    expect(r.stdout).toMatch(/^cls on train-bad-row\.tsv \(16 train, 6 dev examples\), seed 42: 2 steps in /m);
    expect(JSON.parse(fs.readFileSync(path.join(out('skipped'), 'results.json'), 'utf8'))).toMatchObject({ steps: 2 });

    // A second `train` into the same folder would silently mix runs: it must ask for --resume.
    const again = await cli('train', '--model', model, '--head', 'cls', '--train', train, '--dev', dev, ...columns, ...quick, '--skip-bad-rows', '--out', out('skipped'));
    expect(expectError(again, 1)).toContain(`${out('skipped')} already holds a run: continue it with --resume`);
  });
});

it('an empty training file fails naming the file', async () => {
  const train = write('empty.tsv', '');
  const r = await cli('train', '--model', model, '--head', 'cls', '--train', train, '--dev', dev, ...columns, ...quick, '--out', out('empty'));
  expect(expectError(r, 1)).toContain(`${train}: the file is empty`);
});

it('a training file with only a header fails naming the file', async () => {
  const train = write('header-only.tsv', 'sentence\tlabel\n');
  const r = await cli('train', '--model', model, '--head', 'cls', '--train', train, '--dev', dev, ...columns, ...quick, '--out', out('header-only'));
  expect(expectError(r, 1)).toContain(`${train}: the file has no data rows`);
});

it('a missing training file fails naming it', async () => {
  const train = path.join(root, 'nope.tsv');
  const r = await cli('train', '--model', model, '--head', 'cls', '--train', train, '--dev', dev, ...columns, ...quick, '--out', out('missing'));
  expect(expectError(r, 1)).toContain(`${train}: training file not found`);
});

it('--resume on a folder without a checkpoint says so', async () => {
  const dir = out('no-checkpoint');
  fs.mkdirSync(dir);
  const r = await cli('train', '--resume', dir, '--backend', 'wasm');
  expect(expectError(r, 1)).toContain(`${dir}: no checkpoint to resume (start the run without --resume)`);
  const missing = await cli('train', '--resume', out('does-not-exist'), '--backend', 'wasm');
  expect(expectError(missing, 1)).toContain('no checkpoint to resume');
});

it('--resume on a damaged checkpoint names the damaged file', async () => {
  const dir = out('damaged');
  fs.mkdirSync(path.join(dir, 'checkpoint'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'checkpoint', 'trainer_state.json'), '{"step": 3,');
  const r = await cli('train', '--resume', dir, '--backend', 'wasm');
  const message = expectError(r, 1);
  expect(message).toContain(path.join(dir, 'checkpoint', 'trainer_state.json'));
  expect(message).toContain('the checkpoint is damaged');
});

it('a batch size that is not a multiple of --grad-accum is a usage error', async () => {
  const train = write('train-ok2.tsv', tsv(goodRows));
  const r = await cli('train', '--model', model, '--head', 'cls', '--train', train, '--dev', dev, ...columns, ...quick,
    '--batch-size', '10', '--grad-accum', '3', '--out', out('accum'));
  expect(expectError(r, 2)).toContain('batchSize 10 must be a multiple of gradientAccumulation 3');
  expect(fs.existsSync(out('accum'))).toBe(false);
});
