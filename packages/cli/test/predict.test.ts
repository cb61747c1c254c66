import * as fs from 'node:fs';
import * as path from 'node:path';
import { HEADS_FIXTURES_DIR, maxAbsDiff } from '../../../testing/shared-fixtures';
import { cli, readJsonlFile, tempDir, writeJsonlFile } from './run-cli';

interface Expected { text: string; text_pair?: string; logits: number[] }

const fixtures = fs.readdirSync(HEADS_FIXTURES_DIR).filter((d) => fs.existsSync(path.join(HEADS_FIXTURES_DIR, d, 'expected.jsonl')));

describe('maxpoolbert predict on the reference checkpoints', () => {
  const dir = tempDir();

  it('covers at least the cls and max-seq-mha fixtures', () => {
    expect(fixtures).toEqual(expect.arrayContaining(['cls-k1-h4-pooler-2labels', 'max-seq-mha-k2-h4-pooler-2labels']));
  });

  describe.each(fixtures)('%s', (fixture) => {
    const model = path.join(HEADS_FIXTURES_DIR, fixture);
    // Blank texts are refused by the CLI, as in training data (training/data-hygiene.test.ts);
    // the library's predict() scores them too (heads/test/classify.test.ts checks those rows).
    const blank = (s: string | undefined) => s !== undefined && s.trim() === '';
    const expected = (readJsonlFile(path.join(model, 'expected.jsonl')) as unknown as Expected[]).filter((e) => !blank(e.text) && !blank(e.text_pair));
    const input = writeJsonlFile(path.join(dir, `${fixture}.jsonl`), expected.map(({ text, text_pair }) => ({ text, text_pair })));

    it.each(['cpu', 'wasm'])('matches every expected logit to 1e-4 on %s', async (backend) => {
      const output = path.join(dir, `${fixture}-${backend}.out.jsonl`);
      const r = await cli('predict', '--model', model, '--input', input, '--output', output, '--backend', backend, '--batch-size', '7');
      expect(r).toMatchObject({ code: 0, stderr: '' });
      const rows = readJsonlFile(output) as { logits: number[]; probabilities: number[]; label: string }[];
      expect(rows).toHaveLength(expected.length);
      rows.forEach((row, i) => {
        expect({ i, diff: maxAbsDiff(row.logits, expected[i].logits) < 1e-4 }).toEqual({ i, diff: true });
        const e = row.logits.map(Math.exp);
        const sum = e.reduce((a, b) => a + b, 0);
        expect(maxAbsDiff(row.probabilities, e.map((x) => x / sum))).toBeLessThan(1e-6);
        expect(row.label).toBe(`LABEL_${row.logits.indexOf(Math.max(...row.logits))}`);
      });
    });
  });
});
