// fillMask on tiny-bert-mlm against the reference's fill_mask goldens (top 5 per [MASK]).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { TINY_BERT_MLM_DIR } from '../../../../testing/shared-fixtures';
import { fillMaskDiff, readMlmGoldens, type MlmGoldens } from '../../../../testing/backend-spec/mlm-cases';
import { FsModelSource } from '../weights/fs-source.js';
import { fillMask } from '../../src/inference/fill-mask.js';
import { loadMaskedLm, type LoadedMaskedLm } from '../../src/model/masked-lm.js';
import { errorOf } from '../model/helpers.js';

let goldens: MlmGoldens;
let loaded: LoadedMaskedLm;
const inputs = () => goldens.cases.map((c) => ({ text: c.text, textPair: c.text_pair }));

beforeAll(async () => {
  await tf.setBackend('cpu');
  const source = new FsModelSource(TINY_BERT_MLM_DIR);
  goldens = await readMlmGoldens(source);
  loaded = await loadMaskedLm(source);
});
afterAll(() => loaded.model.dispose());

describe('fillMask', () => {
  it('gives the goldens\' top 5 at every [MASK] (ids equal, scores to 1e-4), nothing for a text without one', async () => {
    const before = tf.memory().numTensors;
    const got = await fillMask(loaded.model, loaded.tokenizer, inputs(), { topK: 5 });
    expect(tf.memory().numTensors).toBe(before);
    expect(got.map((r) => r.masks.map((m) => m.position))).toEqual(goldens.mask_positions);
    expect(got[3]).toEqual({ masks: [] });
    expect(got[2].masks.map((m) => m.position)).toEqual([6, 14]); // counted on through the pair's second segment
    expect(fillMaskDiff(got, goldens.fill_mask)).toBeLessThan(1e-4);
    for (const r of got) for (const m of r.masks) {
      const scores = m.predictions.map((p) => p.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
  });

  it('batching does not change the answers; topK 1 is the first of the top 5', async () => {
    const all = await fillMask(loaded.model, loaded.tokenizer, inputs(), { topK: 5 });
    const batched = await fillMask(loaded.model, loaded.tokenizer, inputs(), { topK: 5, batchSize: 3 });
    expect(fillMaskDiff(batched, all)).toBeLessThan(1e-6);
    const one = await fillMask(loaded.model, loaded.tokenizer, inputs().slice(0, 1), { topK: 1 });
    expect(one[0].masks[0].predictions).toHaveLength(1);
    expect(one[0].masks[0].predictions[0].token_id).toBe(goldens.fill_mask[0].masks[0].predictions[0].token_id);
  });

  it('a [MASK] cut off by maxLength is not reported', async () => {
    // "[CLS] the capital of france is [MASK] . [SEP]": 6 tokens keep 4 words, not the mask.
    const [cut] = await fillMask(loaded.model, loaded.tokenizer, [{ text: goldens.cases[0].text }], { maxLength: 6 });
    expect(cut).toEqual({ masks: [] });
  });

  it('refuses bad options', async () => {
    expect((await errorOf(() => fillMask(loaded.model, loaded.tokenizer, inputs(), { topK: 0 }))).message).toContain('topK must be an integer >= 1');
    expect((await errorOf(() => fillMask(loaded.model, loaded.tokenizer, inputs(), { batchSize: 1.5 }))).message).toContain('batchSize');
    expect((await errorOf(() => fillMask(loaded.model, loaded.tokenizer, [{} as { text: string }]))).message).toContain('input 0 has no text');
  });
});
