import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES_DIR, TINY_BERT_DIR } from '../../../testing/shared-fixtures';
import { cli, readJsonlFile, tempDir, writeJsonlFile } from './run-cli';

interface GoldenCase { text: string; text_pair?: string; max_length?: number; input_ids: number[]; token_type_ids: number[] }

const goldens: GoldenCase[] = fs
  .readFileSync(path.join(FIXTURES_DIR, 'tokenizer-goldens.jsonl'), 'utf8')
  .split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('maxpoolbert tokenize', () => {
  const dir = tempDir();

  it('writes exactly the reference ids for all 300 golden cases, in order', async () => {
    const input = writeJsonlFile(path.join(dir, 'in.jsonl'), goldens.map(({ text, text_pair, max_length }) => ({ text, text_pair, max_length })));
    const output = path.join(dir, 'out.jsonl');
    const r = await cli('tokenize', '--model', TINY_BERT_DIR, '--input', input, '--output', output);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const rows = readJsonlFile(output);
    expect(rows).toHaveLength(goldens.length);
    rows.forEach((row, i) => {
      expect(row).toEqual({
        input_ids: goldens[i].input_ids,
        token_type_ids: goldens[i].token_type_ids,
        attention_mask: goldens[i].input_ids.map(() => 1),
      });
    });
  });

  it('applies --max-length unless a row sets its own', async () => {
    const long = 'one two three four five six seven eight nine ten';
    const input = writeJsonlFile(path.join(dir, 'ml.jsonl'), [{ text: long }, { text: long, max_length: 8 }]);
    const output = path.join(dir, 'ml-out.jsonl');
    expect((await cli('tokenize', '--model', TINY_BERT_DIR, '--input', input, '--output', output, '--max-length', '5')).code).toBe(0);
    const [a, b] = readJsonlFile(output) as { input_ids: number[] }[];
    expect(a.input_ids).toHaveLength(5);
    expect(b.input_ids).toHaveLength(8);
    expect(a.input_ids[0]).toBe(101);
    expect(a.input_ids[4]).toBe(102);
  });

  it('turns empty and whitespace-only text into [CLS] [SEP]', async () => {
    const input = writeJsonlFile(path.join(dir, 'empty.jsonl'), [{ text: '' }, { text: ' \t\n ' }]);
    const output = path.join(dir, 'empty-out.jsonl');
    expect((await cli('tokenize', '--model', TINY_BERT_DIR, '--input', input, '--output', output)).code).toBe(0);
    expect(readJsonlFile(output).map((r) => r.input_ids)).toEqual([[101, 102], [101, 102]]);
  });

  it('names the line of malformed JSONL and leaves an existing output untouched', async () => {
    const input = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(input, '{"text": "fine"}\n\n{"text": broken}\n');
    const output = path.join(dir, 'keep.jsonl');
    fs.writeFileSync(output, 'previous\n');
    const r = await cli('tokenize', '--model', TINY_BERT_DIR, '--input', input, '--output', output);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.jsonl: line 3: not valid JSON/);
    expect(fs.readFileSync(output, 'utf8')).toBe('previous\n');
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('rejects rows without a text string, naming the line', async () => {
    const input = writeJsonlFile(path.join(dir, 'notext.jsonl'), [{ text: 'ok' }, { sentence: 'wrong key' }]);
    const r = await cli('tokenize', '--model', TINY_BERT_DIR, '--input', input, '--output', path.join(dir, 'x.jsonl'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/notext\.jsonl: line 2: "text" must be a string/);
  });

  it('refuses an output path in a missing folder, naming the folder', async () => {
    const input = writeJsonlFile(path.join(dir, 'ok.jsonl'), [{ text: 'hi' }]);
    const output = path.join(dir, 'no', 'such', 'out.jsonl');
    const r = await cli('tokenize', '--model', TINY_BERT_DIR, '--input', input, '--output', output);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(path.join(dir, 'no', 'such'));
    expect(r.stderr).toMatch(/output folder does not exist.*mkdir -p/);
    expect(fs.existsSync(output)).toBe(false);
  });

  it('reports a missing input file', async () => {
    const r = await cli('tokenize', '--model', TINY_BERT_DIR, '--input', path.join(dir, 'nope.jsonl'), '--output', path.join(dir, 'o.jsonl'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope\.jsonl: input file not found/);
  });
});
