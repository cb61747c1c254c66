// Token pooling against plain-JS loops over a padded batch.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '../../src/model/gradients.js';
import { clsVector, maskedMax, maskedMean, poolTokens, type TokenPooling } from '../../src/model/pooling.js';
import { lcg, randomArray } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const B = 3;
const T = 5;
const H = 4;
const LENGTHS = [5, 3, 1];
const maskRows = LENGTHS.map((n) => Array.from({ length: T }, (_, t) => (t < n ? 1 : 0)));

/** hidden[b][t][h]: real tokens from `real`, padded positions from `pad`. */
function makeHidden(real: () => number, pad: (b: number, t: number, h: number) => number): number[][][] {
  return Array.from({ length: B }, (_, b) =>
    Array.from({ length: T }, (_, t) => Array.from({ length: H }, (_, h) => (t < LENGTHS[b]! ? Math.fround(real()) : pad(b, t, h)))),
  );
}

function refMean(hidden: number[][][]): number[][] {
  return hidden.map((rows, b) =>
    Array.from({ length: H }, (_, h) => {
      let s = 0;
      for (let t = 0; t < LENGTHS[b]!; t++) s += rows[t]![h]!;
      return s / LENGTHS[b]!;
    }),
  );
}

function refMax(hidden: number[][][]): number[][] {
  return hidden.map((rows, b) =>
    Array.from({ length: H }, (_, h) => {
      let m = -Infinity;
      for (let t = 0; t < LENGTHS[b]!; t++) m = Math.max(m, rows[t]![h]!);
      return m;
    }),
  );
}

const refCls = (hidden: number[][][]) => hidden.map((rows) => rows[0]!.slice());

async function pooled(fn: (h: tf.Tensor3D, m: tf.Tensor2D) => tf.Tensor2D, hidden: number[][][], maskDtype: 'int32' | 'float32' = 'float32') {
  const h = tf.tensor3d(hidden);
  const m = tf.tensor2d(maskRows, [B, T], maskDtype);
  const before = tf.memory().numTensors;
  const out = fn(h, m);
  expect(tf.memory().numTensors).toBe(before + 1); // only the result survives
  expect(out.shape).toEqual([B, H]);
  const got = (await out.array()) as number[][];
  tf.dispose([h, m, out]);
  return got;
}

function expectClose(got: number[][], expected: number[][], tol: number): void {
  expect(got).toHaveLength(expected.length);
  got.forEach((row, b) => row.forEach((v, h) => {
    if (!(Math.abs(v - expected[b]![h]!) <= tol)) throw new Error(`[${b}][${h}]: got ${v}, expected ${expected[b]![h]}`);
  }));
}

describe('token pooling over a padded batch', () => {
  const rand = lcg(3);
  const hidden = makeHidden(() => rand(2), () => Math.fround(rand(50)));

  it('clsVector is the first token of every row', async () => {
    expectClose(await pooled((h) => clsVector(h), hidden), refCls(hidden), 0);
  });

  it.each(['float32', 'int32'] as const)('maskedMean averages real tokens only (%s mask)', async (dtype) => {
    expectClose(await pooled(maskedMean, hidden, dtype), refMean(hidden), 1e-5);
  });

  it.each(['float32', 'int32'] as const)('maskedMax takes the max over real tokens only (%s mask)', async (dtype) => {
    expectClose(await pooled(maskedMax, hidden, dtype), refMax(hidden), 0);
  });

  it('mean is unaffected by what padding holds', async () => {
    const zeros = makeHidden(lcg(5), () => 0);
    const huge = makeHidden(lcg(5), (b, t, h) => 1e4 * (1 + b + t + h));
    const a = await pooled(maskedMean, zeros);
    const b = await pooled(maskedMean, huge);
    expectClose(a, refMean(zeros), 1e-5);
    expectClose(b, a, 0);
  });

  it('padding never wins the max, even when every real value is negative and padding is large', async () => {
    for (const padValue of [0, 1, 1e3, 1e6, 1e10, 3e38]) {
      const rng = lcg(9);
      const negative = makeHidden(() => -1 - Math.abs(rng(5)), () => padValue);
      const got = await pooled(maskedMax, negative);
      expectClose(got, refMax(negative), 0);
      expect(got.flat().every((v) => v < 0)).toBe(true);
    }
  });

  it('a one-token row pools to its [CLS] vector under every strategy', async () => {
    // Row 2 has a single real token.
    const rowTwo = hidden[2]![0]!;
    for (const how of ['cls', 'mean', 'max'] as TokenPooling[]) {
      const got = await pooled((h, m) => poolTokens(h, m, how), hidden);
      expectClose([got[2]!], [rowTwo], 1e-6);
    }
  });

  it('poolTokens dispatches to cls / mean / max', async () => {
    expectClose(await pooled((h, m) => poolTokens(h, m, 'cls'), hidden), refCls(hidden), 0);
    expectClose(await pooled((h, m) => poolTokens(h, m, 'mean'), hidden), refMean(hidden), 1e-5);
    expectClose(await pooled((h, m) => poolTokens(h, m, 'max'), hidden), refMax(hidden), 0);
    // The three really are different on this batch.
    expect(refMean(hidden)).not.toEqual(refMax(hidden));
    expect(refCls(hidden)).not.toEqual(refMax(hidden));
  });

  it('maskedMean of a row with no real tokens is finite (no division by zero)', async () => {
    const h = tf.tensor3d([[[1, 2], [3, 4]]]);
    const m = tf.tensor2d([[0, 0]]);
    const out = maskedMean(h, m);
    expect(Array.from(await out.data()).every(Number.isFinite)).toBe(true);
    tf.dispose([h, m, out]);
  });

  it('maskedMax and maskedMean have gradients only at real tokens', async () => {
    const values = randomArray(B * T * H, lcg(21), 1);
    const h = tf.tensor3d(values, [B, T, H]);
    const m = tf.tensor2d(maskRows);
    for (const fn of [maskedMax, maskedMean]) {
      const g = tf.grad((x: tf.Tensor) => tf.sum(fn(x as tf.Tensor3D, m)))(h);
      const grads = (await g.array()) as number[][][];
      grads.forEach((rows, b) => rows.forEach((row, t) => {
        if (t >= LENGTHS[b]!) expect(row.every((v) => v === 0)).toBe(true);
      }));
      // Every row's gradient sums to H (mean: 1/n per token; max: one winner per feature).
      grads.forEach((rows) => expect(rows.flat().reduce((a, v) => a + v, 0)).toBeCloseTo(H, 5));
      g.dispose();
    }
    tf.dispose([h, m]);
  });
});
