/** Shared helpers for the optimizer tests: a seeded JS PRNG and small tensor utilities. */
import * as tf from '@tensorflow/tfjs-core';

/** Independent of src/random: a linear congruential generator, uniform in [-scale, scale). */
export function lcg(seed: number): (scale?: number) => number {
  let s = seed >>> 0;
  return (scale = 1) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 4294967296 * 2 - 1) * scale;
  };
}

/** `n` float32-representable numbers from `rand`. */
export function randomArray(n: number, rand: (scale?: number) => number, scale = 1): number[] {
  return Array.from({ length: n }, () => Math.fround(rand(scale)));
}

export function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

export function disposeMap(m: Map<string, tf.Tensor>): void {
  for (const t of m.values()) t.dispose();
}

/** Asserts |actual − expected| ≤ tol · max(1, |expected|) element-wise, naming the first failure. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = ''): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) {
      throw new Error(`${what}[${i}]: ${a} vs expected ${e} (tolerance ${tol})`);
    }
  }
}
