// maxpoolbert fill-mask on tiny-bert-mlm against the reference's fill_mask goldens, its input
// errors, inspect's masked-LM line, and a BertForMaskedLM folder saved and used again.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { FsModelSource, writeFolderAtomic } from '@maxpoolbert/backend-node';
import { loadMaskedLm, maskedLmFolderFiles, type FillMaskResult } from '@maxpoolbert/core';
import { TINY_BERT_DIR, TINY_BERT_MLM_DIR } from '../../../testing/shared-fixtures';
import { fillMaskDiff, type MlmGoldens } from '../../../testing/backend-spec/mlm-cases';
import { cli, readJsonlFile, tempDir, writeJsonlFile } from './run-cli';

const goldens = JSON.parse(fs.readFileSync(path.join(TINY_BERT_MLM_DIR, 'goldens.json'), 'utf8')) as MlmGoldens;
// The CLI refuses a line without [MASK]; the goldens' case 3 has none.
const withMask = goldens.cases.map((c, i) => ({ c, i })).filter(({ i }) => goldens.mask_positions[i].length > 0);
const expected = withMask.map(({ i }) => goldens.fill_mask[i]);

describe('maxpoolbert fill-mask', () => {
  const dir = tempDir();
  const input = writeJsonlFile(path.join(dir, 'in.jsonl'), withMask.map(({ c }) => c));

  it('gives the goldens\' top 5 at every [MASK], batched', async () => {
    const output = path.join(dir, 'out.jsonl');
    const r = await cli('fill-mask', '--model', TINY_BERT_MLM_DIR, '--input', input, '--output', output, '--backend', 'cpu', '--batch-size', '3');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const rows = readJsonlFile(output) as unknown as FillMaskResult[];
    expect(rows.map((row) => row.masks.map((m) => m.position))).toEqual(withMask.map(({ i }) => goldens.mask_positions[i]));
    expect(fillMaskDiff(rows, expected)).toBeLessThan(1e-4);
  });

  it('--top-k sets the number of candidates', async () => {
    const output = path.join(dir, 'top2.jsonl');
    const r = await cli('fill-mask', '--model', TINY_BERT_MLM_DIR, '--input', input, '--output', output, '--backend', 'cpu', '--top-k', '2');
    expect(r.code).toBe(0);
    const rows = readJsonlFile(output) as unknown as FillMaskResult[];
    expect(fillMaskDiff(rows, expected.map((e) => ({ masks: e.masks.map((m) => ({ ...m, predictions: m.predictions.slice(0, 2) })) })))).toBeLessThan(1e-4);
  });

  it('a line without [MASK], a bad JSON line and a cut-off mask are errors naming the line; no output is left', async () => {
    const output = path.join(dir, 'bad.jsonl');
    const noMask = writeJsonlFile(path.join(dir, 'no-mask.jsonl'), [{ text: 'is [MASK] here' }, { text: 'no mask, only [mask]', text_pair: 'nor here' }]);
    const a = await cli('fill-mask', '--model', TINY_BERT_MLM_DIR, '--input', noMask, '--output', output, '--backend', 'cpu');
    expect(a.code).toBe(1);
    expect(a.stderr).toBe(`maxpoolbert fill-mask: error: ${noMask}: line 2: no [MASK] in "text" or "text_pair" (put [MASK] where a token is to be predicted; it is case-sensitive)\n`);
    expect(fs.existsSync(output)).toBe(false);

    const badJson = path.join(dir, 'bad-json.jsonl');
    fs.writeFileSync(badJson, '{"text": "a [MASK]"}\n{"text": \n');
    const b = await cli('fill-mask', '--model', TINY_BERT_MLM_DIR, '--input', badJson, '--output', output, '--backend', 'cpu');
    expect(b.code).toBe(1);
    expect(b.stderr).toContain(`${badJson}: line 2: not valid JSON`);

    const late = writeJsonlFile(path.join(dir, 'late.jsonl'), [{ text: 'one two three four five [MASK]' }]);
    const c = await cli('fill-mask', '--model', TINY_BERT_MLM_DIR, '--input', late, '--output', output, '--backend', 'cpu', '--max-length', '5');
    expect(c.code).toBe(1);
    expect(c.stderr).toContain(`${late}: line 1: truncation to 5 tokens cut off every [MASK]`);
    expect(fs.existsSync(output)).toBe(false);
  });

  it('refuses a folder without a masked-LM head', async () => {
    const r = await cli('fill-mask', '--model', TINY_BERT_DIR, '--input', input, '--output', path.join(dir, 'x.jsonl'), '--backend', 'cpu');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('has no masked-LM head (cls.predictions.*)');
  });

  it('inspect says whether a folder has a masked-LM head', async () => {
    const mlm = await cli('inspect', TINY_BERT_MLM_DIR);
    expect(mlm.code).toBe(0);
    expect(mlm.stdout).toMatch(/Masked-LM head: +present/);
    expect(mlm.stdout).toMatch(/Ignored keys: +none/); // the head's keys are the head's, not ignored
    expect(JSON.parse((await cli('inspect', TINY_BERT_MLM_DIR, '--json')).stdout).maskedLmHead).toBe('present');
    expect((await cli('inspect', TINY_BERT_DIR)).stdout).toMatch(/Masked-LM head: +none/);
  });

  it('a BertForMaskedLM folder saved from the loaded model gives the same answers', async () => {
    await tf.setBackend('cpu');
    const loaded = await loadMaskedLm(await FsModelSource.open(TINY_BERT_MLM_DIR));
    const saved = path.join(dir, 'saved-mlm');
    await writeFolderAtomic(saved, await maskedLmFolderFiles(loaded.model, loaded.tokenizerFiles));
    loaded.model.dispose();
    expect(JSON.parse(fs.readFileSync(path.join(saved, 'config.json'), 'utf8')).architectures).toEqual(['BertForMaskedLM']);
    const output = path.join(dir, 'saved-out.jsonl');
    const r = await cli('fill-mask', '--model', saved, '--input', input, '--output', output, '--backend', 'cpu');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(fillMaskDiff(readJsonlFile(output) as unknown as FillMaskResult[], expected)).toBeLessThan(1e-4);
  });

  it('the built bin runs it', () => {
    const bin = path.resolve(__dirname, '..', 'bin', 'maxpoolbert.js');
    const output = path.join(dir, 'bin-out.jsonl');
    const r = spawnSync(process.execPath, [bin, 'fill-mask', '--model', TINY_BERT_MLM_DIR, '--input', input, '--output', output, '--backend', 'cpu'], { encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(fillMaskDiff(readJsonlFile(output) as unknown as FillMaskResult[], expected)).toBeLessThan(1e-4);
  });
});
