/** Shared helpers for the optimizer tests: a seeded JS PRNG and small tensor utilities. */
import * as tf from '@tensorflow/tfjs-core';
export { lcg, randomArray } from '../../../../../testing/test-utils';

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
