// Global-norm clipping vs plain JS (torch.nn.utils.clip_grad_norm_ semantics).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { clipByGlobalNorm, globalNorm } from '../../../src/train/optim/index.js';
import { disposeMap, expectClose, lcg, randomArray, values } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SHAPES: [string, number[]][] = [['a.weight', [5, 7]], ['a.bias', [7]], ['b.weight', [3, 2, 4]], ['scalar', []]];

function makeGrads(seed: number): { tensors: Map<string, tf.Tensor>; arrays: Map<string, number[]> } {
  const rand = lcg(seed);
  const arrays = new Map(SHAPES.map(([n, s], i) => [n, randomArray(s.reduce((a, b) => a * b, 1), rand, i + 1)]));
  const tensors = new Map(SHAPES.map(([n, s]) => [n, tf.tensor(arrays.get(n)!, s)]));
  return { tensors, arrays };
}

const jsNorm = (arrays: Iterable<number[]>) => Math.sqrt([...arrays].flat().reduce((s, x) => s + x * x, 0));

describe('globalNorm', () => {
  it('is √(Σ g²) over every tensor', async () => {
    const { tensors, arrays } = makeGrads(1);
    const n = await globalNorm(tensors);
    expect(n).toBeGreaterThan(1);
    expectClose([n], [jsNorm(arrays.values())], 1e-6);
    expect(await globalNorm(new Map())).toBe(0);
    expect(await globalNorm(new Map([['x', tf.tensor1d([3, 4])]]))).toBe(5);
    disposeMap(tensors);
  });
});

describe('clipByGlobalNorm', () => {
  it('scales by maxNorm / (norm + 1e-6) when the norm is above maxNorm', () => {
    const { tensors, arrays } = makeGrads(2);
    const norm = jsNorm(arrays.values());
    const maxNorm = norm / 3;
    const out = clipByGlobalNorm(tensors, maxNorm);
    expectClose(values(out.norm), [norm], 1e-6);
    out.norm.dispose();
    const coef = maxNorm / (norm + 1e-6);
    for (const [n, a] of arrays) {
      expect(out.grads.get(n)!.shape).toEqual(tensors.get(n)!.shape);
      expectClose(values(out.grads.get(n)!), a.map((x) => x * coef), 1e-6, n);
    }
    expectClose([jsNorm([...out.grads.values()].map(values))], [maxNorm], 1e-6);
    // inputs untouched
    for (const [n, a] of arrays) expect(values(tensors.get(n)!)).toEqual(a);
    disposeMap(out.grads);
    disposeMap(tensors);
  });

  it('is a no-op (returning clones) when maxNorm ≥ norm + 1e-6', () => {
    const { tensors, arrays } = makeGrads(3);
    const norm = jsNorm(arrays.values());
    for (const maxNorm of [norm * 2, norm + 1e-6]) {
      const out = clipByGlobalNorm(tensors, maxNorm);
      out.norm.dispose();
      for (const [n, a] of arrays) {
        expect(out.grads.get(n)).not.toBe(tensors.get(n));
        expect(values(out.grads.get(n)!)).toEqual(a);
      }
      disposeMap(out.grads);
    }
    for (const t of tensors.values()) expect(t.isDisposed).toBe(false);
    disposeMap(tensors);
  });

  it('leaks nothing and validates maxNorm', async () => {
    const { tensors } = makeGrads(4);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const out = clipByGlobalNorm(tensors, 0.5);
      disposeMap(out.grads);
      out.norm.dispose();
    }
    expect(await globalNorm(tensors)).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => clipByGlobalNorm(tensors, 0)).toThrow(RangeError);
    expect(() => clipByGlobalNorm(tensors, NaN)).toThrow(RangeError);
    disposeMap(tensors);
  });
});
