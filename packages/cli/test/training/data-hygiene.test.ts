// Data that used to be read silently wrong: every case is now one error line naming the file,
// line (or flag) and fix, or (invalid UTF-8) a one-line report, in train, compare and predict.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HEADS_FIXTURES_DIR } from '../../../../testing/shared-fixtures';
import { cli, readJsonlFile, tempDir, writeJsonlFile } from '../run-cli';
import { GLUE_DIR, initTinySmallVocab, readJson } from './helpers';

const root = tempDir('mpb-hygiene-');
const model = path.join(root, 'tiny');
const POS = ['a good and moving film', 'great fun', 'the best movie of the year', 'funny and smart', 'a charming story', 'beautiful and touching'];
const NEG = ['a bad film', 'dull and boring', 'the worst movie of the year', 'stupid and ugly', 'a mess', 'too long and tedious'];
const rows = POS.flatMap((p, i) => [[p, 'positive'], [NEG[i]!, 'negative']]);
const tsv = (r: string[][]) => ['sentence\tlabel', ...r.map((x) => x.join('\t'))].join('\n') + '\n';
const quick = ['--epochs', '1', '--batch-size', '4', '--max-length', '16', '--backend', 'wasm'];
const columns = ['--text-column', 'sentence', '--label-column', 'label'];
/** A fine-tuned reference checkpoint (single texts, LABEL_0/LABEL_1) for predict. */
const classifier = path.join(HEADS_FIXTURES_DIR, 'cls-k1-h4-pooler-2labels');

const write = (name: string, content: string | Buffer) => {
  const file = path.join(root, name);
  fs.writeFileSync(file, content);
  return file;
};
const out = (name: string) => path.join(root, name);
const dev = write('dev.tsv', tsv(rows.slice(0, 4)));
const train = (name: string, ...args: string[]) => cli('train', '--model', model, '--head', 'cls', '--out', out(name), ...quick, ...args);

beforeAll(async () => {
  await initTinySmallVocab(model);
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** One error line from `command`, with the exit code; returns the message. */
function expectError(r: { code: number; stdout: string; stderr: string }, code: number, command = 'train'): string {
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code, stdout: '' });
  expect(r.stderr).toMatch(new RegExp(`^maxpoolbert ${command}: error: [^\\n]+\\n$`));
  return r.stderr;
}

describe('rows that do not match the header', () => {
  it('a TSV row with a tab inside a (quoted) text is an error naming the file and line, not a new class', async () => {
    const file = write('tab-in-text.tsv', tsv([...rows.slice(0, 3), ['"a tab\there"', 'positive'], ...rows.slice(3)]));
    const r = await train('tab-in-text', '--train', file, '--dev', dev, ...columns);
    expect(expectError(r, 1)).toContain(`${file}: line 5: the row has 3 fields but the header has 2 (a tab inside a text splits it`);
    expect(fs.existsSync(out('tab-in-text'))).toBe(false);
  });

  it('a CSV with an unbalanced quote is an error naming the line where the quote opened', async () => {
    const csv = ['sentence,label', 'fine film,positive', '"a great film,positive', 'bad film,negative', 'worse film,negative', '"dull, slow",negative', ''].join('\n');
    const file = write('unbalanced.csv', csv);
    const r = await train('unbalanced', '--train', file, '--dev', write('dev.csv', 'sentence,label\ngood,positive\nbad,negative\n'), ...columns);
    expect(expectError(r, 1)).toContain(`${file}: line 3: the quote that opens a field on this line is not closed on it: the next quote, on line 6`);
  });
});

describe('labels', () => {
  const mixed = write('mixed.tsv', tsv([...rows.slice(0, 8), ['fine', '1'], ['awful', '0']]));

  it('mixing numbers and words is an error naming the file, the labels seen and --labels', async () => {
    const r = await train('mixed', '--train', mixed, '--dev', dev, ...columns);
    expect(expectError(r, 1)).toBe(
      `maxpoolbert train: error: ${mixed}: column "label": the labels mix numbers and words ("0", "1", "negative", "positive"), which would make 4 classes ` +
        '(make the column use one kind of label, or, if these are 4 classes, state them in id order with --labels 0,1,negative,positive)\n',
    );
    expect(fs.existsSync(out('mixed'))).toBe(false);
  });

  it('--labels states the label set and its order; the model keeps it, so predict and eval agree', async () => {
    const file = write('words.tsv', tsv(rows));
    const r = await train('labels', '--train', file, '--dev', dev, ...columns, '--labels', 'positive, negative');
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const best = path.join(out('labels'), 'best');
    expect(readJson(path.join(best, 'config.json'))).toMatchObject({ id2label: { 0: 'positive', 1: 'negative' }, label2id: { positive: 0, negative: 1 } });

    const input = writeJsonlFile(path.join(root, 'labels-in.jsonl'), [{ text: 'great fun' }, { text: 'a mess' }]);
    const predicted = path.join(root, 'labels-out.jsonl');
    expect(await cli('predict', '--model', best, '--input', input, '--output', predicted, '--backend', 'wasm')).toMatchObject({ code: 0, stderr: '' });
    for (const row of readJsonlFile(predicted) as { probabilities: number[]; label: string }[]) {
      expect(row.label).toBe(['positive', 'negative'][row.probabilities.indexOf(Math.max(...row.probabilities))]);
    }
    // eval maps the dev file's labels through the model's own order: the same accuracy as training saw.
    const evaluated = await cli('eval', '--model', best, '--data', dev, ...columns, '--max-length', '16', '--backend', 'wasm');
    expect(evaluated.code).toBe(0);
    const results = readJson<{ best: { metrics: { accuracy: number } } }>(path.join(out('labels'), 'results.json'));
    expect(JSON.parse(evaluated.stdout).metrics.accuracy).toBeCloseTo(results.best.metrics.accuracy, 6);
  });

  it('--labels that miss a label of the file fail at its line; mixed labels train as the stated classes', async () => {
    const r = await train('labels-missing', '--train', mixed, '--dev', dev, ...columns, '--labels', 'negative,positive');
    expect(expectError(r, 1)).toContain(`${mixed}: line 10: unknown label "1" in column "label" (known labels: negative, positive)`);
    const four = await train('labels-four', '--train', mixed, '--dev', dev, ...columns, '--labels', 'negative,positive,0,1');
    expect(four.code).toBe(0);
    expect(readJson(path.join(out('labels-four'), 'best', 'config.json'))).toMatchObject({ id2label: { 0: 'negative', 1: 'positive', 2: '0', 3: '1' } });
  });

  it('compare keeps the stated order in every run', async () => {
    const file = write('words-compare.tsv', tsv(rows));
    const r = await cli('compare', '--model', model, '--heads', 'cls', '--seeds', '1', '--train', file, '--dev', dev, ...columns,
      '--labels', 'positive,negative', ...quick, '--quiet', '--out', out('compare-labels'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const run = fs.readdirSync(path.join(out('compare-labels'), 'runs', 'cls'))[0]!;
    expect(readJson(path.join(out('compare-labels'), 'runs', 'cls', run, 'best', 'config.json'))).toMatchObject({ id2label: { 0: 'positive', 1: 'negative' } });
  });

  it.each([
    [['--labels', 'a,,b'], '--labels "a,,b" has an empty label name'],
    [['--labels', 'a,b,a'], '--labels names "a" more than once'],
    [['--labels', 'spam'], '--labels "spam" names one label: a classifier needs at least two'],
  ])('%j is a usage error', async (flags, message) => {
    const r = await train('labels-bad', '--train', write('words2.tsv', tsv(rows)), '--dev', dev, ...columns, ...flags);
    expect(expectError(r, 2)).toContain(message);
  });
});

describe('columns', () => {
  const file = write('cols.tsv', tsv(rows));

  it('--text-column X --label-column X is a usage error', async () => {
    const r = await train('same-col', '--train', file, '--dev', dev, '--text-column', 'label', '--label-column', 'label');
    expect(expectError(r, 2)).toContain('--text-column and --label-column name the same column ("label"): the model would learn to read the label off its input');
    const pair = await train('same-col', '--train', file, '--dev', dev, '--text-column', 'sentence', '--text-pair-column', 'label', '--label-column', 'label');
    expect(expectError(pair, 2)).toContain('--text-pair-column and --label-column name the same column ("label")');
  });

  it('the same column by index and by name is an error naming the file', async () => {
    const r = await train('same-col-index', '--train', file, '--dev', dev, '--text-column', '1', '--label-column', 'label');
    expect(expectError(r, 1)).toContain(`${file}: labelColumn: textColumn and labelColumn are the same column ("label")`);
  });
});

describe('encoding', () => {
  // Latin-1 é (0xE9) on lines 3 and 6: not UTF-8.
  const latin1 = Buffer.concat([
    Buffer.from(tsv(rows.slice(0, 1))),
    Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(' is great fun\tpositive\n'),
    Buffer.from(tsv(rows.slice(1, 3)).split('\n').slice(1).join('\n')),
    Buffer.from('a dull caf'), Buffer.from([0xe9]), Buffer.from('\tnegative\n'),
    Buffer.from(tsv(rows.slice(3)).split('\n').slice(1).join('\n')),
  ]);
  const file = write('latin1.tsv', latin1);

  it('invalid UTF-8 in training data is replaced and reported in one line', async () => {
    const r = await train('latin1', '--train', file, '--dev', dev, ...columns);
    expect(r.code).toBe(0);
    const notes = r.stderr.split('\n').filter((l) => l.includes('UTF-8'));
    expect(notes).toEqual([
      `note: ${file}: replaced 2 invalid UTF-8 sequences (2 bytes) on 2 lines with U+FFFD, first on line 3 (byte 0xE9) (--strict makes this an error)`,
    ]);
  });

  it('compare reports it once, not once per run', async () => {
    const r = await cli('compare', '--model', model, '--heads', 'cls', '--seeds', '2', '--train', file, '--dev', dev, ...columns, ...quick, '--out', out('latin1-compare'));
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.includes('UTF-8'))).toEqual([
      `note: ${file}: replaced 2 invalid UTF-8 sequences (2 bytes) on 2 lines with U+FFFD, first on line 3 (byte 0xE9) (--strict makes this an error)`,
    ]);
  });

  it('with --strict it is an error naming the file and line, before anything is created', async () => {
    const r = await train('latin1-strict', '--train', file, '--dev', dev, ...columns, '--strict');
    expect(expectError(r, 1)).toContain(`${file}: line 3: invalid UTF-8 (byte 0xE9) and 1 more invalid sequence on 2 lines (save the file as UTF-8`);
    expect(fs.existsSync(out('latin1-strict'))).toBe(false);
  });

  describe('predict', () => {
    const texts = ['Hello, world!', 'unaffable', 'caf\uFFFD au lait'];
    const reference = path.join(root, 'ref.out.jsonl');
    beforeAll(async () => {
      const r = await cli('predict', '--model', classifier, '--input', writeJsonlFile(path.join(root, 'ref.jsonl'), texts.map((text) => ({ text }))), '--output', reference, '--backend', 'cpu');
      expect(r).toMatchObject({ code: 0, stderr: '' });
    });

    it('reads a JSONL file with a UTF-8 BOM, as a TSV with one is read', async () => {
      const input = write('bom.jsonl', '\uFEFF' + texts.map((text) => JSON.stringify({ text })).join('\r\n') + '\r\n');
      const output = path.join(root, 'bom.out.jsonl');
      expect(await cli('predict', '--model', classifier, '--input', input, '--output', output, '--backend', 'cpu')).toMatchObject({ code: 0, stderr: '' });
      expect(readJsonlFile(output)).toEqual(readJsonlFile(reference));
    });

    it('replaces invalid UTF-8 and reports it in one line; --strict makes it an error', async () => {
      const lines = texts.map((text) => Buffer.from(JSON.stringify({ text }) + '\n'));
      lines[2] = Buffer.concat([Buffer.from('{"text": "caf'), Buffer.from([0xe9]), Buffer.from(' au lait"}\n')]);
      const input = write('latin1.jsonl', Buffer.concat(lines));
      const output = path.join(root, 'latin1.out.jsonl');
      const r = await cli('predict', '--model', classifier, '--input', input, '--output', output, '--backend', 'cpu');
      expect(r.code).toBe(0);
      expect(r.stderr).toBe(`note: ${input}: replaced 1 invalid UTF-8 sequence (1 byte) on 1 line with U+FFFD, first on line 3 (byte 0xE9) (--strict makes this an error)\n`);
      expect(readJsonlFile(output)).toEqual(readJsonlFile(reference));

      fs.rmSync(output);
      const strict = await cli('predict', '--model', classifier, '--input', input, '--output', output, '--backend', 'cpu', '--strict');
      expect(expectError(strict, 1, 'predict')).toContain(`${input}: line 3: invalid UTF-8 (byte 0xE9) (save the file as UTF-8`);
      expect(fs.existsSync(output)).toBe(false);
    });
  });
});

describe('empty text is an error in train and in predict alike', () => {
  it('train names the file and line', async () => {
    const file = write('empty-text.tsv', tsv([...rows.slice(0, 2), ['   ', 'positive'], ...rows.slice(2)]));
    const r = await train('empty-text', '--train', file, '--dev', dev, ...columns);
    expect(expectError(r, 1)).toContain(`${file}: line 4: empty text in column "sentence"`);
  });

  it.each([
    [{ text: '' }, 'empty "text"'],
    [{ text: '  \t' }, 'empty "text"'],
    [{ text: 'fine', text_pair: '' }, 'empty "text_pair"'],
  ])('predict names the file and line (%j)', async (row, message) => {
    const input = writeJsonlFile(path.join(root, 'empty.jsonl'), [{ text: 'fine' }, row]);
    const output = path.join(root, 'empty.out.jsonl');
    const r = await cli('predict', '--model', classifier, '--input', input, '--output', output, '--backend', 'cpu');
    expect(expectError(r, 1, 'predict')).toContain(`${input}: line 2: ${message}`);
    expect(fs.existsSync(output)).toBe(false);
  });
});

describe('GLUE task and files together', () => {
  // Limits, so that a regression that reads the task anyway fails in seconds, not hours.
  const glue = (task: string) => ['--task', task, '--data', GLUE_DIR, '--train-limit', '8', '--dev-limit', '8'];

  it('--task with --train/--dev is refused (exit 2)', async () => {
    const r = await train('task-and-files', ...glue('SST-2'), '--train', write('t.tsv', tsv(rows)), '--dev', dev);
    expect(expectError(r, 2)).toContain('--task reads DATA/<TASK>/train.tsv and dev.tsv, so --train and --dev would be ignored');
  });

  it('--task with file flags (columns, --labels) is refused (exit 2)', async () => {
    const r = await train('task-and-labels', ...glue('SST-2'), '--labels', 'a,b', '--text-column', 'x');
    expect(expectError(r, 2)).toContain('--text-column, --labels describe --train/--dev files; a GLUE task (--task) has its own columns and labels');
  });

  it('--data DIR without --task is refused (exit 2) instead of ignored', async () => {
    const r = await train('data-no-task', '--data', GLUE_DIR, '--train', write('t2.tsv', tsv(rows)), '--dev', dev, ...columns);
    expect(expectError(r, 2)).toContain('--data DIR is read only with --task TASK');
  });
});

describe('a max length too small to hold a token', () => {
  it('train --max-length 2 is a usage error before anything is read', async () => {
    const r = await train('short', '--train', path.join(root, 'no-such-file.tsv'), '--dev', dev, ...columns, '--max-length', '2');
    expect(expectError(r, 2)).toContain('--max-length 2 cannot hold any token ([CLS] and [SEP] take 2): the smallest usable value is 3 (5 for text pairs)');
  });

  it.each([
    [['--task', 'MRPC', '--data', GLUE_DIR, '--train-limit', '8', '--dev-limit', '8'], '--task MRPC'],
    [['--train', 'pairs.tsv', '--dev', 'pairs.tsv', ...columns, '--text-pair-column', 'sentence2'], '--text-pair-column'],
  ])('a pair task with --max-length 4 is a usage error (%j)', async (flags, pairs) => {
    const r = await train('short-pairs', ...flags, '--max-length', '4');
    expect(expectError(r, 2)).toContain(`--max-length 4 cannot hold a token of both texts of a pair (${pairs}; [CLS] A [SEP] B [SEP] takes 3): the smallest usable value for pairs is 5`);
  });

  it('predict --max-length 2 is a usage error before the model loads', async () => {
    const r = await cli('predict', '--model', path.join(root, 'no-model'), '--input', 'x.jsonl', '--output', 'y.jsonl', '--max-length', '2', '--backend', 'cpu');
    expect(expectError(r, 2, 'predict')).toContain('--max-length 2 cannot hold any token');
  });

  it.each([
    [{ text: 'hello', max_length: 2 }, '"max_length" 2 cannot hold any token of the text ([CLS] and [SEP] take 2) (the smallest usable value is 3)', []],
    [{ text: 'hello', text_pair: 'world', max_length: 4 }, '"max_length" 4 cannot hold a token of both texts of the pair ([CLS] A [SEP] B [SEP] takes 3) (the smallest usable value is 5)', []],
    [{ text: 'hello', text_pair: 'world' }, "--max-length 4 cannot hold a token of both texts of this line's pair ([CLS] A [SEP] B [SEP] takes 3) (the smallest usable value for pairs is 5)", ['--max-length', '4']],
  ])('a predict row %j is an error naming the file, line and smallest usable value', async (row, message, flags) => {
    const input = writeJsonlFile(path.join(root, 'short.jsonl'), [{ text: 'fine' }, row]);
    const r = await cli('predict', '--model', classifier, '--input', input, '--output', path.join(root, 'short.out.jsonl'), '--backend', 'cpu', ...flags);
    expect(expectError(r, 1, 'predict')).toBe(`maxpoolbert predict: error: ${input}: line 2: ${message}\n`);
  });
});

describe('tokenize and embed report invalid UTF-8 as predict does', () => {
  const lines = [
    Buffer.from(JSON.stringify({ text: 'a good film' }) + '\n'),
    Buffer.concat([Buffer.from('{"text": "caf'), Buffer.from([0xe9]), Buffer.from(' au lait"}\n')]),
  ];
  it.each([
    ['tokenize', [] as string[]],
    ['embed', ['--backend', 'cpu']],
  ])('%s: one note line, and --strict makes it an error', async (command, extra) => {
    const input = write(`latin1-${command}.jsonl`, Buffer.concat(lines));
    const output = path.join(root, `latin1-${command}.out.jsonl`);
    const r = await cli(command, '--model', model, '--input', input, '--output', output, ...extra);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`note: ${input}: replaced 1 invalid UTF-8 sequence (1 byte) on 1 line with U+FFFD, first on line 2 (byte 0xE9) (--strict makes this an error)\n`);
    expect(readJsonlFile(output)).toHaveLength(2);

    fs.rmSync(output);
    const strict = await cli(command, '--model', model, '--input', input, '--output', output, '--strict', ...extra);
    expect(expectError(strict, 1, command)).toContain(`${input}: line 2: invalid UTF-8 (byte 0xE9) (save the file as UTF-8`);
    expect(fs.existsSync(output)).toBe(false);
  });
});
