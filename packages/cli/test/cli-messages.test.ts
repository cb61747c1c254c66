// What the CLI says when it is called wrongly: usage errors exit 2 in one line that names the
// flag and the fix, before anything is created; advice a command can follow; quoted input cut
// short; negative numbers reach the range check. In-process CLI on the tiny-bert fixture.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GLUE_DIR, TINY_BERT_DIR } from '../../../testing/shared-fixtures';
import { cli, tempDir, writeJsonlFile } from './run-cli';

const root = tempDir('mpb-messages-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** The one line a failed command prints. */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

const csv = path.join(root, 'rows.csv');
fs.writeFileSync(csv, 'text,label\na good film,1\na bad film,0\n');

describe('usage errors exit 2 with one line, and create nothing', () => {
  const out = path.join(root, 'never');
  const train = (...more: string[]) => cli('train', '--model', TINY_BERT_DIR, '--out', out, '--backend', 'wasm', ...more);
  afterEach(() => expect(fs.existsSync(out)).toBe(false));

  it.each([
    ['--train without --dev', ['--head', 'cls', '--train', csv, '--text-column', 'text', '--label-column', 'label'], '--train needs --dev FILE'],
    ['--dev without --train', ['--head', 'cls', '--dev', csv, '--text-column', 'text', '--label-column', 'label'], '--dev needs --train FILE'],
    ['no data at all', ['--head', 'cls'], 'pass --task TASK --data DIR, or --train FILE --dev FILE'],
    ['a CSV without --text-column', ['--head', 'cls', '--train', csv, '--dev', csv, '--label-column', 'label'], 'data files need --text-column COL (the text),'],
    ['a CSV without either column', ['--head', 'cls', '--train', csv, '--dev', csv], 'data files need --text-column COL (the text) and --label-column COL (the label)'],
    ['an unknown head', ['--head', 'nope', '--train', csv, '--dev', csv, '--text-column', 'text', '--label-column', 'label'], 'unknown head "nope"; registered: cls,'],
    ['an unknown GLUE task', ['--head', 'cls', '--task', 'SST-3', '--data', GLUE_DIR], '--task "SST-3" is not a GLUE task (use one of CoLA, SST-2,'],
    ['--task without --data', ['--head', 'cls', '--task', 'sst-2'], '--task SST-2 needs --data DIR, the folder that holds SST-2/train.tsv and dev.tsv'],
    ['an unknown backend', ['--head', 'cls', '--task', 'SST-2', '--data', GLUE_DIR, '--backend', 'wasn'], 'unknown backend "wasn"; registered:'],
  ])('train: %s', async (_what, argv, message) => {
    const r = await train(...argv);
    expect(oneLine(r.stderr)).toContain(message);
    expect(r.stderr).toMatch(/^maxpoolbert train: error: /);
    expect(r.code).toBe(2);
  });

  it('--data DIR/SST-2, the task folder itself: pass the parent folder', async () => {
    const r = await train('--head', 'cls', '--task', 'SST-2', '--data', path.join(GLUE_DIR, 'SST-2'));
    expect(oneLine(r.stderr)).toBe(
      `maxpoolbert train: error: --data ${path.join(GLUE_DIR, 'SST-2')} holds train.tsv itself: pass the parent folder (--data ${GLUE_DIR}), which holds SST-2/train.tsv`,
    );
    expect(r.code).toBe(2);
  });

  it('eval without a file to score, compare with an unknown head or no heads', async () => {
    const ev = await cli('eval', '--model', TINY_BERT_DIR, '--backend', 'wasm');
    expect(oneLine(ev.stderr)).toContain('pass the file to score as --data FILE');
    expect(ev.code).toBe(2);
    const data = ['--task', 'SST-2', '--data', GLUE_DIR, '--backend', 'wasm', '--out', out];
    const unknown = await cli('compare', '--model', TINY_BERT_DIR, '--heads', 'cls,nope', ...data);
    expect(oneLine(unknown.stderr)).toContain('unknown head "nope"');
    expect(unknown.code).toBe(2);
    const none = await cli('compare', '--model', TINY_BERT_DIR, '--heads', ',', ...data);
    expect(oneLine(none.stderr)).toContain('--heads needs at least one head');
    expect(none.code).toBe(2);
    const bench = await cli('bench', '--heads', 'cls,nope', '--backend', 'wasm');
    expect(oneLine(bench.stderr)).toContain('unknown head "nope"');
    expect(bench.code).toBe(2);
  });
});

describe('negative numbers are option values', () => {
  const base = ['--model', TINY_BERT_DIR, '--head', 'cls', '--task', 'SST-2', '--data', GLUE_DIR, '--backend', 'wasm', '--out', path.join(root, 'neg')];

  it('--batch-size -1 (no "=") gets the range check, not "ambiguous"', async () => {
    const r = await cli('train', ...base, '--batch-size', '-1');
    expect(oneLine(r.stderr)).toBe('maxpoolbert train: error: --batch-size must be an integer >= 1, got "-1"');
    expect(r.code).toBe(2);
    const lr = await cli('train', ...base, '--lr', '-1e-3');
    expect(oneLine(lr.stderr)).toBe('maxpoolbert train: error: --lr must be a number >= 1e-12, got "-1e-3"');
    const fraction = await cli('train', ...base, '--warmup-ratio', '-.5');
    expect(oneLine(fraction.stderr)).toBe('maxpoolbert train: error: --warmup-ratio must be a number >= 0, got "-.5"');
  });

  it('a dash that is not a number is still an option (a forgotten value is named)', async () => {
    const r = await cli('train', ...base, '--batch-size', '--quiet');
    expect(oneLine(r.stderr)).toContain("Option '--batch-size' argument is ambiguous");
    expect(r.code).toBe(2);
  });
});

describe('compare checks every head against the model before the first run', () => {
  it('a k the model cannot take fails at once, naming the flag, before cls (first in line) trains', async () => {
    const out = path.join(root, 'bad-k');
    const started = performance.now();
    const r = await cli('compare', '--model', TINY_BERT_DIR, '--heads', 'cls,max-cls', '--layers', '5', '--seeds', '1',
      '--task', 'SST-2', '--data', GLUE_DIR, '--train-limit', '16', '--dev-limit', '8', '--batch-size', '8', '--max-length', '16', '--backend', 'wasm', '--out', out);
    expect(oneLine(r.stderr)).toBe(
      'maxpoolbert compare: error: --layers: head "max-cls": layers (k) must be between 1 and the model\'s 2 layers, got 5 (pass a k of at most 2)',
    );
    expect(r.code).toBe(2);
    expect(fs.existsSync(out)).toBe(false); // no run of cls was trained first
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('so do attention heads that do not divide the width', async () => {
    const out = path.join(root, 'bad-heads');
    const r = await cli('compare', '--model', TINY_BERT_DIR, '--heads', 'cls,mha', '--num-heads', '5', '--seeds', '1',
      '--task', 'SST-2', '--data', GLUE_DIR, '--backend', 'wasm', '--out', out);
    expect(oneLine(r.stderr)).toBe('maxpoolbert compare: error: --num-heads: head "mha": num_heads 5 does not divide hidden_size 32 (use a divisor of 32, e.g. 4)');
    expect(r.code).toBe(2);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('advice a command can follow', () => {
  it.each(['predict', 'eval'])('%s on a BERT without a head says to fine-tune it first (it takes no --head)', async (command) => {
    const input = writeJsonlFile(path.join(root, 'in.jsonl'), [{ text: 'a film' }]);
    const argv = command === 'predict'
      ? ['--input', input, '--output', path.join(root, 'out.jsonl')]
      : ['--data', csv, '--text-column', 'text', '--label-column', 'label'];
    const r = await cli(command, '--model', TINY_BERT_DIR, ...argv, '--backend', 'wasm');
    expect(oneLine(r.stderr)).toBe(
      `maxpoolbert ${command}: error: ${path.join(TINY_BERT_DIR, 'config.json')}: not a fine-tuned classifier (no maxpoolbert_head): ${command} needs one ` +
        `(fine-tune this BERT first, e.g. maxpoolbert train --model ${TINY_BERT_DIR} --head max-seq-mha … --out OUT, then pass --model OUT/best)`,
    );
    expect(r.code).toBe(1);
  });
});

describe('quoted input is cut short', () => {
  it('a header-less 1 MB first line gives a short one-line error', async () => {
    const big = path.join(root, 'big.csv');
    fs.writeFileSync(big, `${'x'.repeat(1_000_000)},1\nanother row,0\n`);
    const r = await cli('train', '--model', TINY_BERT_DIR, '--head', 'cls', '--train', big, '--dev', big, '--text-column', 'text', '--label-column', 'label',
      '--backend', 'wasm', '--out', path.join(root, 'big-out'));
    const line = oneLine(r.stderr);
    expect(line.length).toBeLessThan(400);
    expect(line).toContain(`${big}: line 1: no column "text" in the header (columns: "${'x'.repeat(79)}…" (1000000 characters), "1")`);
    expect(r.code).toBe(1);
  });

  it('an unexpected argument is quoted short too', async () => {
    const r = await cli('inspect', TINY_BERT_DIR, 'y'.repeat(5000));
    expect(oneLine(r.stderr)).toBe(`maxpoolbert inspect: error: inspect: unexpected argument "${'y'.repeat(79)}…" (5000 characters) (see maxpoolbert inspect --help)`);
    expect(r.code).toBe(2);
  });
});
