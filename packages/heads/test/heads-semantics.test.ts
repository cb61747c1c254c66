// Every head's sentence vector against plain-JS maths over the encoder's hidden-state arrays
// (hs[0] = embeddings, hs[1..L] = layers), on a batch whose rows have different lengths; and
// padding invariance: more padding, or padding holding arbitrary ids, never changes a row's vector.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { createHead, SeededRng, SequenceClassifier, type EncoderOutput, type Head, type HeadSpec } from '@maxpoolbert/core';
import '@maxpoolbert/heads';
import {
  disposeBatch, elementwiseMaxJs, lcg, linear, makeBatch, maxAbsDiff, mhaJs, mhaWeightsOf, ROWS, tinyConfig, tinyEncoder,
  useCpu, type Mat, type Vec,
} from './helpers';

const TOL = 1e-5;
const config = tinyConfig();
const L = config.num_hidden_layers;
const H = config.hidden_size;
const encoder = tinyEncoder(config);

let out: EncoderOutput;
/** hs[l][b][t][h] */
let hs: number[][][][];
let real: boolean[][];

beforeAll(async () => {
  await useCpu();
  // Non-zero pooler bias, so the logits check sees whether the bias is applied.
  const rand = lcg(99);
  const poolerBias = encoder.variables().get('pooler.dense.bias')!;
  tf.tidy(() => poolerBias.assign(tf.tensor1d(Array.from({ length: H }, () => rand() - 0.5))));
  const batch = makeBatch(ROWS);
  out = encoder.forward(batch, { training: false });
  disposeBatch(batch);
  hs = (await Promise.all(out.hiddenStates.map((t) => t.array()))) as number[][][][];
  real = ((await out.mask.array()) as number[][]).map((r) => r.map((m) => m > 0));
});

afterAll(() => {
  tf.dispose([...out.hiddenStates, out.mask]);
  encoder.dispose();
});

/** A head with random (non-zero) biases too, so the test sees whether each bias is applied. */
function makeHead(spec: HeadSpec, seed = 1): Head {
  const head = createHead(spec, config, new SeededRng(seed));
  const rand = lcg(seed + 1000);
  for (const [name, v] of head.variables()) {
    if (name.endsWith('bias')) tf.tidy(() => v.assign(tf.tensor(Array.from({ length: v.size }, () => rand() - 0.5), v.shape)));
  }
  return head;
}

async function vectorOf(head: Head, o: EncoderOutput = out): Promise<Mat> {
  const v = head.vector(o, { training: false });
  const arr = (await v.array()) as Mat;
  v.dispose();
  return arr;
}

const B = ROWS.length;
const rowsOf = (f: (b: number) => Vec): Mat => Array.from({ length: B }, (_, b) => f(b));
const realTokens = (layer: number, b: number): Vec[] => hs[layer]![b]!.filter((_, t) => real[b]![t]);
const maxClsJs = (k: number): Mat => rowsOf((b) => elementwiseMaxJs(hs.slice(L - k + 1, L + 1).map((layer) => layer[b]![0]!)));
/** S[b][t] = max over the last k layers at each position. */
const maxSeqJs = (k: number, b: number): Vec[] => hs[L]![b]!.map((_, t) => elementwiseMaxJs(hs.slice(L - k + 1, L + 1).map((layer) => layer[b]![t]!)));

describe('the test data can tell the heads apart', () => {
  it('rows have different lengths, and layers differ from each other', () => {
    expect(real.map((r) => r.filter(Boolean).length)).toEqual(ROWS.map((r) => r.length));
    expect(hs).toHaveLength(L + 1);
    // k = 2, k = 3 and "including hs[0]" give different max-cls vectors, so the checks below
    // fail if a head pooled the wrong layers.
    const withEmbeddings = rowsOf((b) => elementwiseMaxJs(hs.map((layer) => layer[b]![0]!)));
    expect(maxAbsDiff(maxClsJs(2), maxClsJs(3))).toBeGreaterThan(1e-2);
    expect(maxAbsDiff(maxClsJs(3), withEmbeddings)).toBeGreaterThan(1e-2);
    expect(maxAbsDiff(maxClsJs(1), maxClsJs(2))).toBeGreaterThan(1e-2);
    // Padding positions hold values that would win a max / shift a mean if they were not masked.
    const lastMean = rowsOf((b) => hs[L]![b]![0]!.map((_, h) => hs[L]![b]!.reduce((s, tok) => s + tok[h]!, 0) / hs[L]![b]!.length));
    const lastMax = rowsOf((b) => elementwiseMaxJs(hs[L]![b]!));
    const realMax = rowsOf((b) => elementwiseMaxJs(realTokens(L, b)));
    expect(maxAbsDiff(lastMax, realMax)).toBeGreaterThan(1e-2);
    expect(maxAbsDiff(lastMean, rowsOf((b) => realTokens(L, b)[0]!.map((_, h) => realTokens(L, b).reduce((s, tok) => s + tok[h]!, 0) / realTokens(L, b).length)))).toBeGreaterThan(1e-3);
  });
});

describe('head vectors against plain-JS maths', () => {
  it('cls = hs[L][:, 0]', async () => {
    const v = await vectorOf(makeHead({ type: 'cls' }));
    expect(maxAbsDiff(v, rowsOf((b) => hs[L]![b]![0]!))).toBeLessThan(TOL);
  });

  it('mean = mean of hs[L] over real tokens only', async () => {
    const v = await vectorOf(makeHead({ type: 'mean' }));
    const expected = rowsOf((b) => {
      const toks = realTokens(L, b);
      return toks[0]!.map((_, h) => toks.reduce((s, tok) => s + tok[h]!, 0) / toks.length);
    });
    expect(maxAbsDiff(v, expected)).toBeLessThan(TOL);
  });

  it('max = element-wise max of hs[L] over real tokens only', async () => {
    const v = await vectorOf(makeHead({ type: 'max' }));
    expect(maxAbsDiff(v, rowsOf((b) => elementwiseMaxJs(realTokens(L, b))))).toBeLessThan(TOL);
  });

  it.each([1, 2, 3])('max-cls, k = %i: element-wise max of [CLS] over hs[L-k+1..L]', async (k) => {
    const v = await vectorOf(makeHead({ type: 'max-cls', layers: k }));
    expect(maxAbsDiff(v, maxClsJs(k))).toBeLessThan(TOL);
  });

  it('max-cls defaults to k = 3', async () => {
    const v = await vectorOf(makeHead({ type: 'max-cls' }));
    expect(maxAbsDiff(v, maxClsJs(3))).toBeLessThan(TOL);
  });

  it.each([1, 2, 4])('mha with %i heads: nn.MultiheadAttention(q = hs[L][:, 0], k = v = hs[L], key_padding_mask)', async (numHeads) => {
    const head = makeHead({ type: 'mha', numHeads }, 10 + numHeads);
    const w = await mhaWeightsOf(head.variables());
    const v = await vectorOf(head);
    const expected = rowsOf((b) => mhaJs(w, numHeads, hs[L]![b]![0]!, hs[L]![b]!, real[b]!));
    expect(maxAbsDiff(v, expected)).toBeLessThan(TOL);
    // The same maths with padding keys attended to gives something else: masking is checked.
    const unmasked = rowsOf((b) => mhaJs(w, numHeads, hs[L]![b]![0]!, hs[L]![b]!, real[b]!.map(() => true)));
    expect(maxAbsDiff(expected, unmasked)).toBeGreaterThan(1e-3);
    head.dispose();
  });

  it.each([
    [3, 4],
    [2, 4],
    [1, 2],
    [3, 1],
  ])('max-seq-mha, k = %i, %i heads: MHA over S = max of the last k layers per position, query S[:, 0]', async (k, numHeads) => {
    const head = makeHead({ type: 'max-seq-mha', layers: k, numHeads }, 20 + k);
    const w = await mhaWeightsOf(head.variables());
    const v = await vectorOf(head);
    const expected = rowsOf((b) => {
      const S = maxSeqJs(k, b);
      return mhaJs(w, numHeads, S[0]!, S, real[b]!);
    });
    expect(maxAbsDiff(v, expected)).toBeLessThan(TOL);
    head.dispose();
  });

  it('max-seq-mha defaults to k = 3 and 4 heads, and differs from mha on the last layer', async () => {
    const head = makeHead({ type: 'max-seq-mha' }, 7);
    const w = await mhaWeightsOf(head.variables());
    const v = await vectorOf(head);
    const expected = rowsOf((b) => {
      const S = maxSeqJs(3, b);
      return mhaJs(w, 4, S[0]!, S, real[b]!);
    });
    expect(maxAbsDiff(v, expected)).toBeLessThan(TOL);
    const lastOnly = rowsOf((b) => mhaJs(w, 4, hs[L]![b]![0]!, hs[L]![b]!, real[b]!));
    expect(maxAbsDiff(v, lastOnly)).toBeGreaterThan(1e-3);
    head.dispose();
  });
});

describe('SequenceClassifier.logits = linear(dropout(pooler?(vector)))', () => {
  it.each(['cls', 'mean', 'max', 'max-cls', 'mha', 'max-seq-mha'])('%s', async (type) => {
    const head = makeHead({ type }, 5);
    const n = 3;
    const rand = lcg(7);
    const W: Mat = Array.from({ length: n }, () => Array.from({ length: H }, () => rand() - 0.5));
    const bias: Vec = Array.from({ length: n }, () => rand() - 0.5);
    const classifier = tf.tidy(() => ({ weight: tf.variable(tf.tensor2d(W)), bias: tf.variable(tf.tensor1d(bias)) }));
    // The encoder is shared with the other tests: the classifier must not dispose it.
    const model = new SequenceClassifier(encoder, head, { problemType: 'single_label_classification', names: ['a', 'b', 'c'] }, classifier);
    const batch = makeBatch(ROWS);
    const logits = model.logits(batch, { training: false });
    const got = (await logits.array()) as Mat;
    const vec = await vectorOf(head);
    const Wp = (await encoder.variables().get('pooler.dense.weight')!.array()) as Mat;
    const bp = (await encoder.variables().get('pooler.dense.bias')!.array()) as Vec;
    const expected = vec.map((v) => linear(W, bias, head.spec.usePooler ? linear(Wp, bp, v).map(Math.tanh) : v));
    expect(maxAbsDiff(got, expected)).toBeLessThan(TOL);
    expect(head.spec.usePooler).toBe(!['mean', 'max'].includes(type));
    tf.dispose([logits, classifier.weight, classifier.bias]);
    disposeBatch(batch);
    head.dispose();
  });
});

describe('padding invariance', () => {
  const SPECS: HeadSpec[] = [
    { type: 'cls' }, { type: 'mean' }, { type: 'max' }, { type: 'max-cls', layers: 2 }, { type: 'max-cls' },
    { type: 'mha' }, { type: 'max-seq-mha', layers: 2 }, { type: 'max-seq-mha' },
  ];
  const longest = Math.max(...ROWS.map((r) => r.length));
  const rand = lcg(3);
  const junk = Array.from({ length: 64 }, () => 1 + Math.floor(rand() * 49));

  async function vectorsFor(head: Head, batch: ReturnType<typeof makeBatch>): Promise<Mat> {
    const o = encoder.forward(batch, { training: false });
    const v = await vectorOf(head, o);
    tf.dispose([...o.hiddenStates, o.mask]);
    disposeBatch(batch);
    return v;
  }

  it.each(SPECS.map((s) => [`${s.type}${s.layers ? ` k=${s.layers}` : ''}`, s] as const))('%s', async (_, spec) => {
    const head = makeHead(spec, 31);
    const base = await vectorsFor(head, makeBatch(ROWS));
    // More padding, with the pad id.
    const longer = await vectorsFor(head, makeBatch(ROWS, { length: longest + 5 }));
    expect(maxAbsDiff(longer, base)).toBeLessThan(1e-6);
    // Padding that holds arbitrary real ids (mask 0): still ignored.
    const junkPadded = await vectorsFor(head, makeBatch(ROWS, { length: longest + 3, padIds: (b, t) => junk[(b * 13 + t) % junk.length]! }));
    expect(maxAbsDiff(junkPadded, base)).toBeLessThan(1e-6);
    // Each row alone, unpadded, gives the same vector as in the padded batch.
    const aloneDiffs: number[] = [];
    for (let b = 0; b < ROWS.length; b++) aloneDiffs.push(maxAbsDiff((await vectorsFor(head, makeBatch([ROWS[b]!])))[0], base[b]));
    expect(Math.max(...aloneDiffs)).toBeLessThan(1e-5);
    head.dispose();
  });
});
