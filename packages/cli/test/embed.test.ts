import * as path from 'node:path';
import { maxAbsDiff, readTinyBertGoldens, TINY_BERT_DIR } from '../../../testing/shared-fixtures';
import { cli, readJsonlFile, tempDir, writeJsonlFile } from './run-cli';

const goldens = readTinyBertGoldens();
const L = goldens.hidden_states.length - 1;
const lengths = goldens.attention_mask.map((m) => m.reduce((a, b) => a + b, 0));
/** [case][layer][token][hidden] over real tokens only, from the reference. */
const realTokens = goldens.cases.map((_, c) => goldens.hidden_states.map((layer) => layer[c].slice(0, lengths[c])));

describe('maxpoolbert embed', () => {
  const dir = tempDir();
  // The goldens were made at max_length 16 (one pair is truncated to fit).
  const input = writeJsonlFile(path.join(dir, 'in.jsonl'), goldens.cases.map((c) => ({ ...c, max_length: goldens.max_length })));

  async function embed(...flags: string[]) {
    const output = path.join(dir, `out-${flags.join('_') || 'default'}.jsonl`);
    const r = await cli('embed', '--model', TINY_BERT_DIR, '--input', input, '--output', output, '--backend', 'cpu', ...flags);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    return readJsonlFile(output);
  }

  it('--all-layers --pooling none gives every reference hidden state over real tokens only', async () => {
    const rows = await embed('--all-layers', '--pooling', 'none', '--batch-size', '3');
    expect(rows).toHaveLength(goldens.cases.length);
    rows.forEach((row, c) => {
      const hs = row.hidden_states as number[][][];
      expect(hs).toHaveLength(L + 1);
      expect(hs[0]).toHaveLength(lengths[c]);
      expect(maxAbsDiff(hs, realTokens[c])).toBeLessThan(1e-4);
    });
  });

  it('pools cls, mean and max over real tokens of the last layer', async () => {
    const [cls, mean, max] = [await embed('--pooling', 'cls'), await embed('--pooling', 'mean'), await embed('--pooling', 'max')];
    realTokens.forEach((layers, c) => {
      const tokens = layers[L];
      const H = tokens[0].length;
      const expectedMean = Array.from({ length: H }, (_, h) => tokens.reduce((s, t) => s + t[h], 0) / tokens.length);
      const expectedMax = Array.from({ length: H }, (_, h) => Math.max(...tokens.map((t) => t[h])));
      expect(maxAbsDiff(cls[c].embedding, tokens[0])).toBeLessThan(1e-4);
      expect(maxAbsDiff(mean[c].embedding, expectedMean)).toBeLessThan(1e-4);
      expect(maxAbsDiff(max[c].embedding, expectedMax)).toBeLessThan(1e-4);
    });
  });

  it('gives the same result on the WASM backend and whatever the batch size', async () => {
    const wasm = await embed('--pooling', 'none', '--backend', 'wasm', '--batch-size', '1');
    wasm.forEach((row, c) => expect(maxAbsDiff(row.embedding, realTokens[c][L])).toBeLessThan(1e-4));
  });

  it('--all-layers with pooling gives one vector per hidden state', async () => {
    const rows = await embed('--all-layers', '--pooling', 'cls');
    rows.forEach((row, c) => expect(maxAbsDiff(row.embedding, realTokens[c].map((layer) => layer[0]))).toBeLessThan(1e-4));
  });

  it('rejects an unknown pooling and a max length beyond the model', async () => {
    const bad = await cli('embed', '--model', TINY_BERT_DIR, '--input', input, '--output', path.join(dir, 'x.jsonl'), '--pooling', 'sum');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--pooling must be one of cls, mean, max, none/);
    const tooLong = await cli('embed', '--model', TINY_BERT_DIR, '--input', input, '--output', path.join(dir, 'x.jsonl'), '--max-length', '512', '--backend', 'cpu');
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toMatch(/max_position_embeddings \(128\)/);
  });
});
