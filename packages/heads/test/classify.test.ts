// core's classify / predict helpers on the reference checkpoints: the logits match the independent
// reference implementation's goldens (fixtures/heads/*/expected.jsonl), probabilities are their
// softmax, the label is the arg-max's name, batching does not change the answer and nothing leaks.
// The heads package hosts this test because the fixtures need real heads (core's tests cannot
// import @maxpoolbert/heads).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@maxpoolbert/heads';
import { classify, loadClassifier, MaxPoolBertError, MemoryModelSource, predict, type LoadedClassifier } from '@maxpoolbert/core';
import { HEADS_FIXTURES_DIR } from '../../../testing/shared-fixtures';
import { errorOf, maxAbsDiff, useCpu } from './helpers';

interface Expected { text: string; text_pair?: string; logits: number[] }

const FIXTURES = ['cls-k1-h4-pooler-2labels', 'max-seq-mha-k2-h4-pooler-2labels'];

function folderSource(dir: string): MemoryModelSource {
  const files = new Map<string, Uint8Array>();
  for (const name of fs.readdirSync(dir)) {
    if (name === 'expected.jsonl') continue;
    const b = fs.readFileSync(path.join(dir, name));
    files.set(name, new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  }
  return new MemoryModelSource(files, dir);
}

function readExpected(dir: string): Expected[] {
  return fs.readFileSync(path.join(dir, 'expected.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Expected);
}

function softmax(logits: number[]): number[] {
  const e = logits.map((x) => Math.exp(x - Math.max(...logits)));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

beforeAll(useCpu);

describe.each(FIXTURES)('%s', (fixture) => {
  const dir = path.join(HEADS_FIXTURES_DIR, fixture);
  const expected = readExpected(dir);
  const inputs = expected.map((e) => ({ text: e.text, textPair: e.text_pair }));
  let loaded: LoadedClassifier;

  beforeAll(async () => {
    loaded = await loadClassifier(folderSource(dir));
  });
  afterAll(() => loaded.model.dispose());

  it('predict: every logit matches the golden to 1e-4, probabilities are the softmax, label the arg-max', async () => {
    expect(expected.length).toBeGreaterThan(30);
    const rows = await predict(loaded, inputs, { batchSize: 7 });
    expect(rows).toHaveLength(expected.length);
    rows.forEach((row, i) => {
      if (!('label' in row)) throw new Error('a classification model gave a score');
      expect(Object.keys(row)).toEqual(['logits', 'probabilities', 'label']);
      expect({ i, diff: maxAbsDiff(row.logits, expected[i].logits) < 1e-4 }).toEqual({ i, diff: true });
      expect(maxAbsDiff(row.probabilities, softmax(row.logits))).toBeLessThan(1e-6);
      expect(row.label).toBe(`LABEL_${expected[i].logits.indexOf(Math.max(...expected[i].logits))}`);
    });
  });

  it('batching does not change the answer: one at a time equals all at once', async () => {
    const some = [...inputs.slice(0, 6), ...inputs.slice(25, 33)]; // mixed lengths, pairs included
    const one = await predict(loaded, some, { batchSize: 1 });
    const all = await predict(loaded, some, { batchSize: some.length });
    one.forEach((row, i) => expect(maxAbsDiff(row.logits, all[i].logits)).toBeLessThan(1e-5));
  });

  it('classify: a string gives one prediction, an array one per input, in order', async () => {
    const single = await classify(loaded, expected[0].text);
    expect(maxAbsDiff(single.logits, expected[0].logits)).toBeLessThan(1e-4);
    const pair = expected.findIndex((e) => e.text_pair !== undefined);
    const many = await classify(loaded, [expected[pair].text, { text: expected[pair].text, textPair: expected[pair].text_pair }]);
    expect(many).toHaveLength(2);
    expect(maxAbsDiff(many[1].logits, expected[pair].logits)).toBeLessThan(1e-4);
    // Without its pair the same text is a different input: the helper really passes textPair on.
    expect(maxAbsDiff(many[0].logits, many[1].logits)).toBeGreaterThan(1e-4);
  });

  it('maxLength truncates: a long input cut to 4 tokens scores as its first two word pieces', async () => {
    const [cut] = await predict(loaded, ['hello world and more words'], { maxLength: 4 });
    const [short] = await predict(loaded, ['hello world']);
    expect(maxAbsDiff(cut.logits, short.logits)).toBeLessThan(1e-5);
    const [perInput] = await predict(loaded, [{ text: 'hello world and more words', maxLength: 4 }]);
    expect(maxAbsDiff(perInput.logits, short.logits)).toBeLessThan(1e-5);
  });

  it('frees every tensor it makes', async () => {
    await predict(loaded, inputs.slice(0, 3)); // first call may set up backend state
    const before = tf.memory().numTensors;
    await predict(loaded, inputs.slice(0, 10), { batchSize: 4 });
    await classify(loaded, 'hello');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('bad calls and regression models', () => {
  const dir = path.join(HEADS_FIXTURES_DIR, FIXTURES[0]);
  let loaded: LoadedClassifier;
  beforeAll(async () => {
    loaded = await loadClassifier(folderSource(dir));
  });
  afterAll(() => loaded.model.dispose());

  it('an empty list gives an empty list', async () => {
    expect(await predict(loaded, [])).toEqual([]);
    expect(await classify(loaded, [])).toEqual([]);
  });

  it.each([
    [{ batchSize: 0 }, /batchSize must be an integer >= 1, got 0/],
    [{ batchSize: 2.5 }, /batchSize must be an integer >= 1/],
    [{ maxLength: 1 }, /maxLength must be an integer >= 2/],
  ])('options %j are one clear error', async (opts, message) => {
    const err = await errorOf(() => predict(loaded, ['hi'], opts));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toMatch(message);
  });

  it('an input without text names its index', async () => {
    const err = await errorOf(() => predict(loaded, ['fine', { textPair: 'x' } as unknown as string]));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toBe('classify: input 1 has no text (pass a string or { text, textPair? })');
  });

  it('a regression model: predict gives { logits, score }, classify refuses and points to predict', async () => {
    const regression = await loadClassifier(folderSource(dir), { labels: { problemType: 'regression', names: ['LABEL_0'] }, seed: 1 });
    try {
      const [row] = await predict(regression, ['a sentence']);
      expect(Object.keys(row)).toEqual(['logits', 'score']);
      if (!('score' in row)) throw new Error('a regression model gave a label');
      expect(row.logits).toHaveLength(1);
      expect(row.score).toBe(row.logits[0]);
      const err = await errorOf(() => classify(regression, 'a sentence'));
      expect(err).toBeInstanceOf(MaxPoolBertError);
      expect(err.message).toMatch(/regression model.*use predict\(\)/);
    } finally {
      regression.model.dispose();
    }
  });
});
