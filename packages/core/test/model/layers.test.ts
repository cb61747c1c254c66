// The BERT building blocks against plain-JS math (float64 references over float32 inputs).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { activation, dense, dropout, layerNorm } from '../../src/model/layers.js';
import { chunk, lcg, randomArray } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * erf(x) to ~1e-16 relative: 2/√π · e^{-x²} · Σ (2x²)^n · x / (1·3·…·(2n+1)). Every term has the
 * sign of x, so the sum has no cancellation.
 */
function erf(x: number): number {
  if (x === 0) return 0;
  if (Math.abs(x) > 6.5) return Math.sign(x); // erfc(6.5) < 4e-20: ±1 in double precision
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 10000; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return Math.min(1, Math.max(-1, (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum));
}

const geluErf = (x: number) => 0.5 * x * (1 + erf(x / Math.SQRT2));
const geluTanh = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

/** -12..12 in steps of 1/8, tiny values and large |x|: all exactly representable in float32. */
const POINTS: number[] = [
  ...Array.from({ length: 193 }, (_, i) => -12 + i / 8),
  -20, 20, -50, 50, 1e-3, -1e-3, 1e-6, -1e-6, 0.7071067690849304, -2.5e-2,
].map(Math.fround);

async function values(t: tf.Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

describe('reference erf', () => {
  it('matches published values', () => {
    // Abramowitz & Stegun table 7.1 / high-precision values.
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(erf(2)).toBeCloseTo(0.9953222650189527, 15);
    expect(erf(3)).toBeCloseTo(0.9999779095030014, 15);
    expect(erf(-1)).toBeCloseTo(-0.8427007929497149, 15);
    expect(1 - erf(5)).toBeCloseTo(1.5374597944280349e-12, 14);
    expect(erf(-7)).toBe(-1);
  });
});

describe('dense', () => {
  it('is x·Wᵀ + b with W stored [out, in]', async () => {
    const rand = lcg(1);
    const [rows, inp, out] = [5, 7, 3];
    const x = randomArray(rows * inp, rand, 2);
    const w = randomArray(out * inp, rand);
    const b = randomArray(out, rand);
    const expected: number[] = [];
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < out; o++) {
        let s = b[o]!;
        for (let i = 0; i < inp; i++) s += x[r * inp + i]! * w[o * inp + i]!;
        expected.push(s);
      }
    }
    const [xt, wt, bt] = [tf.tensor2d(x, [rows, inp]), tf.tensor2d(w, [out, inp]), tf.tensor1d(b)];
    const before = tf.memory().numTensors;
    const y = dense(xt, wt, bt);
    expect(tf.memory().numTensors).toBe(before + 1); // no intermediates left behind
    expect(y.shape).toEqual([rows, out]);
    const got = await values(y);
    got.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-5));
    tf.dispose([xt, wt, bt]);
  });
});

describe('layerNorm', () => {
  /** PyTorch's LayerNorm: biased variance, eps inside the square root. */
  function reference(rows: number[][], gamma: number[], beta: number[], eps: number): number[][] {
    return rows.map((row) => {
      const n = row.length;
      const mean = row.reduce((a, b) => a + b, 0) / n;
      const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
      return row.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * gamma[i]! + beta[i]!);
    });
  }

  const rand = lcg(7);
  const H = 6;
  const rows = [
    randomArray(H, rand, 1),
    randomArray(H, rand, 3).map((v) => Math.fround(v + 10)), // offset mean
    randomArray(H, rand, 0.05), // small variance: eps matters when it is large
    [0.75, 0.75, 0.75, 0.75, 0.75, 0.75], // zero variance: output is beta
    [1, 2, 3, 4, 5, 6],
  ];
  const gamma = randomArray(H, rand, 2);
  const beta = randomArray(H, rand, 1);

  it.each([1e-12, 1e-5, 0.5])('matches the plain-JS LayerNorm (eps %p)', async (eps) => {
    const expected = reference(rows, gamma, beta, eps);
    const [xt, gt, bt] = [tf.tensor2d(rows), tf.tensor1d(gamma), tf.tensor1d(beta)];
    const before = tf.memory().numTensors;
    const y = layerNorm(xt, gt, bt, eps);
    expect(tf.memory().numTensors).toBe(before + 1);
    const got = chunk(await values(y), H);
    for (let r = 0; r < rows.length; r++) {
      for (let i = 0; i < H; i++) expect(Math.abs(got[r]![i]! - expected[r]![i]!)).toBeLessThan(1e-4);
    }
    tf.dispose([xt, gt, bt]);
  });

  it('uses the biased variance (1/n), not the unbiased one', async () => {
    // [1..6]: biased variance 35/12, unbiased 3.5. Normalised first element: -2.5/√(35/12) = -1.4639.
    const x = tf.tensor2d([[1, 2, 3, 4, 5, 6]]);
    const [g, b] = [tf.ones([6]), tf.zeros([6])];
    const got = await values(layerNorm(x, g, b, 0));
    expect(got[0]).toBeCloseTo(-2.5 / Math.sqrt(35 / 12), 5);
    expect(Math.abs(got[0]! - -2.5 / Math.sqrt(3.5))).toBeGreaterThan(0.1);
    tf.dispose([x, g, b]);
  });
});

describe('activation', () => {
  const x = () => tf.tensor1d(POINTS);

  it('gelu is the exact erf GELU, to 1e-6 everywhere including large |x|', async () => {
    const xt = x();
    const before = tf.memory().numTensors;
    const y = activation(xt, 'gelu');
    expect(tf.memory().numTensors).toBe(before + 1);
    const got = await values(y);
    POINTS.forEach((p, i) => {
      const diff = Math.abs(got[i]! - geluErf(p));
      if (!(diff <= 1e-6)) throw new Error(`gelu(${p}) = ${got[i]}, expected ${geluErf(p)} (diff ${diff})`);
    });
    xt.dispose();
  });

  it.each(['gelu_new', 'gelu_pytorch_tanh'] as const)('%s is the tanh approximation', async (act) => {
    const xt = x();
    const got = await values(activation(xt, act));
    POINTS.forEach((p, i) => {
      const diff = Math.abs(got[i]! - geluTanh(p));
      if (!(diff <= 2e-6 * Math.max(1, Math.abs(p)))) throw new Error(`${act}(${p}) = ${got[i]}, expected ${geluTanh(p)}`);
    });
    xt.dispose();
  });

  it('the erf and tanh GELUs are different functions (~1e-4 apart at x = -2)', async () => {
    const xt = tf.tensor1d([-2, 2]);
    const [a, b] = [await values(activation(xt, 'gelu')), await values(activation(xt, 'gelu_new'))];
    expect(Math.abs(a[0]! - b[0]!)).toBeGreaterThan(5e-5);
    expect(Math.abs(a[0]! - geluErf(-2))).toBeLessThan(1e-6);
    expect(Math.abs(b[0]! - geluTanh(-2))).toBeLessThan(1e-6);
    xt.dispose();
  });

  it('relu is max(0, x)', async () => {
    const xt = tf.tensor2d([[-3, -0.5, 0], [0.5, 3, -1e-7]]);
    expect(await values(activation(xt, 'relu'))).toEqual([0, 0, 0, 0.5, 3, 0]);
    xt.dispose();
  });
});

describe('dropout', () => {
  it('is the identity (the same tensor) when not training, and draws no seed', () => {
    const xt = tf.ones([4, 4]);
    const seed = jest.fn(() => 1);
    expect(dropout(xt, 0.5, false, seed)).toBe(xt);
    expect(dropout(xt, 0.99, false)).toBe(xt);
    expect(seed).not.toHaveBeenCalled();
    xt.dispose();
  });

  it('is the identity when the rate is 0, even while training', () => {
    const xt = tf.ones([4, 4]);
    const seed = jest.fn(() => 1);
    expect(dropout(xt, 0, true, seed)).toBe(xt);
    expect(seed).not.toHaveBeenCalled();
    xt.dispose();
  });

  it('is deterministic per seed, and differs across seeds', async () => {
    const xt = tf.ones([1000]);
    const a = await values(dropout(xt, 0.5, true, () => 1234));
    const b = await values(dropout(xt, 0.5, true, () => 1234));
    const c = await values(dropout(xt, 0.5, true, () => 4321));
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    xt.dispose();
  });

  it('draws exactly one seed per call', () => {
    const xt = tf.ones([10]);
    const seed = jest.fn(() => 99);
    dropout(xt, 0.2, true, seed).dispose();
    expect(seed).toHaveBeenCalledTimes(1);
    xt.dispose();
  });

  it.each([0.1, 0.3, 0.5])('zeroes ~rate of the entries and scales survivors by 1/(1-rate) (rate %p)', async (rate) => {
    const N = 100_000;
    const rand = lcg(11);
    const x = randomArray(N, rand, 3).map((v) => (v === 0 ? 1 : v)); // no zeros in the input
    const xt = tf.tensor1d(x);
    const got = await values(dropout(xt, rate, true, () => 2024));
    let zeros = 0;
    for (let i = 0; i < N; i++) {
      if (got[i] === 0) {
        zeros++;
        continue;
      }
      const expected = x[i]! / (1 - rate);
      if (Math.abs(got[i]! - expected) > 1e-5 * Math.max(1, Math.abs(expected))) {
        throw new Error(`survivor ${i}: ${got[i]} != ${x[i]} / (1 - ${rate})`);
      }
    }
    // Binomial std of the fraction is at most 0.0016 at N = 100k: allow 5 sigma.
    expect(Math.abs(zeros / N - rate)).toBeLessThan(0.008);
    xt.dispose();
  });
});
