// Gradient accumulation: micro-batch gradients of a mean loss, weighted by their sizes, average
// to the full-batch gradient.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '../../../src/model/gradients.js';
import { GradientAccumulator } from '../../../src/train/optim/index.js';
import { disposeMap, expectClose, lcg, randomArray, values } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 10;
const D = 4;
const K = 3;

/** A linear model y = xW + b with a mean squared-error loss over the rows of x. */
function setup(seed: number) {
  const rand = lcg(seed);
  const x = randomArray(N * D, rand);
  const y = randomArray(N * K, rand);
  const W = tf.tensor2d(randomArray(D * K, rand), [D, K]);
  const b = tf.tensor1d(randomArray(K, rand));
  /** Gradient of the mean loss over rows [start, end) as { 'lin.weight', 'lin.bias' }. */
  const gradsOf = (start: number, end: number): Map<string, tf.Tensor> => {
    const n = end - start;
    const xb = tf.tensor2d(x.slice(start * D, end * D), [n, D]);
    const yb = tf.tensor2d(y.slice(start * K, end * K), [n, K]);
    const loss = (w: tf.Tensor, bias: tf.Tensor) => tf.div(tf.sum(tf.square(tf.sub(tf.add(tf.matMul(xb, w as tf.Tensor2D), bias), yb))), n);
    const [gw, gb] = tf.grads(loss)([W, b]);
    xb.dispose();
    yb.dispose();
    return new Map([['lin.weight', gw!], ['lin.bias', gb!]]);
  };
  return { W, b, gradsOf, dispose: () => { W.dispose(); b.dispose(); } };
}

describe('GradientAccumulator', () => {
  it('micro-batches of sizes 2, 3, 5 weighted by size average to the full-batch gradient of the mean loss', () => {
    const m = setup(1);
    const full = m.gradsOf(0, N);
    const acc = new GradientAccumulator();
    const splits: [number, number][] = [[0, 2], [2, 5], [5, 10]];
    const added: tf.Tensor[] = [];
    for (const [s, e] of splits) {
      const g = m.gradsOf(s, e);
      added.push(...g.values());
      acc.add(g, e - s);
    }
    expect(added.every((t) => t.isDisposed)).toBe(true); // inputs are consumed
    expect(acc.count).toBe(3);
    expect(acc.totalWeight).toBe(N);
    const avg = acc.average();
    for (const [name, g] of full) {
      expect(avg.get(name)!.shape).toEqual(g.shape);
      expectClose(values(avg.get(name)!), values(g), 1e-5, name);
    }
    // the plain (unweighted) mean of unequal micro-batches is a different thing
    const plain = new GradientAccumulator();
    for (const [s, e] of splits) plain.add(m.gradsOf(s, e));
    const plainAvg = plain.average();
    expect(Math.max(...values(plainAvg.get('lin.weight')!).map((v, i) => Math.abs(v - values(full.get('lin.weight')!)[i]!)))).toBeGreaterThan(1e-3);
    disposeMap(plainAvg);
    plain.dispose();
    disposeMap(avg);
    disposeMap(full);
    acc.dispose();
    m.dispose();
  });

  it('unweighted: the mean over micro-batches; equal sizes give the full-batch gradient', () => {
    const m = setup(2);
    const full = m.gradsOf(0, N);
    const acc = new GradientAccumulator();
    const parts = [m.gradsOf(0, 5), m.gradsOf(5, 10)];
    const expected = new Map([...parts[0]!].map(([n, t]) => [n, values(t).map((v, i) => (v + values(parts[1]!.get(n)!)[i]!) / 2)]));
    for (const p of parts) acc.add(p);
    const avg = acc.average();
    for (const [name, e] of expected) {
      expectClose(values(avg.get(name)!), e, 1e-6, name);
      expectClose(values(avg.get(name)!), values(full.get(name)!), 1e-5, name);
    }
    disposeMap(avg);
    disposeMap(full);
    acc.dispose();
    m.dispose();
  });

  it('reset starts over; no leaks across many rounds', () => {
    const m = setup(3);
    const acc = new GradientAccumulator();
    const base = tf.memory().numTensors;
    const counts: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (let k = 0; k < 4; k++) acc.add(m.gradsOf(k * 2, k * 2 + 2), 2);
      const avg = acc.average();
      disposeMap(avg);
      expect(tf.memory().numTensors).toBe(base + 2); // the two running sums
      acc.reset();
      counts.push(tf.memory().numTensors);
      expect(acc.count).toBe(0);
      expect(acc.totalWeight).toBe(0);
    }
    expect(counts.every((c) => c === base)).toBe(true);
    expect(() => acc.average()).toThrow(/before any add/);
    acc.dispose();
    m.dispose();
  });

  it('rejects mismatched micro-batches and bad weights without consuming them', () => {
    const acc = new GradientAccumulator();
    acc.add(new Map([['w', tf.ones([2, 2])], ['b', tf.ones([2])]]));
    const cases: [Map<string, tf.Tensor>, RegExp][] = [
      [new Map([['w', tf.ones([2, 2])]]), /1 gradients, earlier micro-batches had 2/],
      [new Map([['w', tf.ones([2, 2])], ['c', tf.ones([2])]]), /"c" not in earlier/],
      [new Map([['w', tf.ones([2, 2])], ['b', tf.ones([3])]]), /shape \[3\], earlier \[2\]/],
    ];
    for (const [g, re] of cases) {
      expect(() => acc.add(g)).toThrow(re);
      for (const t of g.values()) expect(t.isDisposed).toBe(false);
      disposeMap(g);
    }
    const ok = new Map([['w', tf.ones([2, 2])], ['b', tf.ones([2])]]);
    expect(() => acc.add(ok, -1)).toThrow(RangeError);
    expect(() => acc.add(ok, NaN)).toThrow(RangeError);
    acc.add(ok, 3);
    expect(acc.count).toBe(2);
    const avg = acc.average();
    expect(values(avg.get('b')!)).toEqual([1, 1]);
    disposeMap(avg);
    const zero = new GradientAccumulator();
    zero.add(new Map([['w', tf.ones([1])]]), 0);
    expect(() => zero.average()).toThrow(/total weight is 0/);
    zero.dispose();
    acc.dispose();
  });
});
