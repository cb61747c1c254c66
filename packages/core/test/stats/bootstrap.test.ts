// Percentile bootstrap of a mean difference: no published numbers exist for a seeded bootstrap,
// so these check its properties — determinism, coverage on a known distribution, what pairing
// does on correlated scores — and its edge cases.
import { MaxPoolBertError } from '../../src/errors.js';
import { SeededRng } from '../../src/random/seeded-rng.js';
import { bootstrapMeanDifference } from '../../src/stats/bootstrap.js';

const normals = (rng: SeededRng, n: number, loc = 0, scale = 1) => Array.from({ length: n }, () => loc + scale * rng.normal());

describe('bootstrapMeanDifference', () => {
  const head = [0.912, 0.905, 0.921, 0.899, 0.915];
  const base = [0.901, 0.9, 0.908, 0.893, 0.904];

  it('is seeded: the same seed gives the same interval, another seed another one', () => {
    // 12 continuous scores a side: with 5 the resampled means take so few values that two
    // seeds can land on the same 2.5 % and 97.5 % order statistics.
    const rng = new SeededRng(9);
    const a = normals(rng, 12, 0.9, 0.01);
    const b = normals(rng, 12, 0.89, 0.01);
    for (const paired of [true, false]) {
      const first = bootstrapMeanDifference(a, b, { paired, seed: 7 });
      expect(bootstrapMeanDifference(a, b, { paired, seed: 7 })).toEqual(first);
      expect(bootstrapMeanDifference(a, b, { paired, seed: 8 })).not.toEqual(first);
    }
  });

  it('estimates mean(a) − mean(b) and its interval contains the estimate', () => {
    for (const paired of [true, false]) {
      const ci = bootstrapMeanDifference(head, base, { paired, seed: 1 });
      expect(ci.estimate).toBeCloseTo((4.552 - 4.506) / 5, 12);
      expect(ci.low).toBeLessThanOrEqual(ci.estimate);
      expect(ci.high).toBeGreaterThanOrEqual(ci.estimate);
      expect(ci.confidence).toBe(0.95);
    }
  });

  it('a higher confidence gives a wider interval', () => {
    const c80 = bootstrapMeanDifference(head, base, { paired: false, seed: 2, confidence: 0.8 });
    const c99 = bootstrapMeanDifference(head, base, { paired: false, seed: 2, confidence: 0.99 });
    expect(c99.high - c99.low).toBeGreaterThan(c80.high - c80.low);
  });

  it('paired is much narrower than unpaired when the two sides move together (shared seed luck)', () => {
    const rng = new SeededRng(3);
    const seedLuck = normals(rng, 10, 0, 0.02);
    const a = seedLuck.map((l) => 0.9 + l + 0.002 * rng.normal());
    const b = seedLuck.map((l) => 0.89 + l + 0.002 * rng.normal());
    const paired = bootstrapMeanDifference(a, b, { paired: true, seed: 4 });
    const unpaired = bootstrapMeanDifference(a, b, { paired: false, seed: 4 });
    expect(paired.high - paired.low).toBeLessThan((unpaired.high - unpaired.low) / 3);
    // Only the paired interval sees that a is above b.
    expect(paired.low).toBeGreaterThan(0);
    expect(unpaired.low).toBeLessThan(0);
  });

  it('covers the true difference about as often as it claims (90 % nominal, N(0.3, 1) vs N(0, 1), n = 30)', () => {
    // 200 data sets; an interval should contain 0.3 about 90 % of the time. Percentile
    // intervals run a little narrow at n = 30 (≈ 86–88 % here), and 200 draws have a binomial sd
    // of about 2 points; an interval half as wide would cover ~60 %, one twice as wide ~100 %.
    const rng = new SeededRng(5);
    let covered = 0;
    const draws = 200;
    for (let k = 0; k < draws; k++) {
      const ci = bootstrapMeanDifference(normals(rng, 30, 0.3), normals(rng, 30), { paired: false, seed: k, resamples: 400, confidence: 0.9 });
      if (ci.low <= 0.3 && 0.3 <= ci.high) covered++;
    }
    expect(covered / draws).toBeGreaterThan(0.82);
    expect(covered / draws).toBeLessThan(0.95);
  });

  it('identical paired samples give [0, 0]; samples of different sizes work unpaired', () => {
    expect(bootstrapMeanDifference(head, [...head], { paired: true, seed: 0 })).toEqual({ estimate: 0, low: 0, high: 0, confidence: 0.95 });
    const ci = bootstrapMeanDifference([0.9, 0.91, 0.92], [0.8, 0.85], { paired: false, seed: 0 });
    expect(ci.low).toBeLessThanOrEqual(ci.high);
  });

  it('below 2 values on a side: NaN bounds, never a throw', () => {
    expect(bootstrapMeanDifference([0.9], [0.8], { paired: true, seed: 0 })).toMatchObject({ low: NaN, high: NaN });
    expect(bootstrapMeanDifference([0.9], [0.8], { paired: true, seed: 0 }).estimate).toBeCloseTo(0.1, 12);
    expect(bootstrapMeanDifference([], [0.8, 0.7], { paired: false, seed: 0 })).toMatchObject({ estimate: NaN, low: NaN, high: NaN });
  });

  it('rejects bad input and options with one line', () => {
    expect(() => bootstrapMeanDifference([1, 2, 3], [1, 2], { paired: true, seed: 0 })).toThrow('paired samples: a has 3 values but b has 2');
    expect(() => bootstrapMeanDifference([1, 2, 3], [1, 2], { paired: false, seed: 0 })).not.toThrow();
    expect(() => bootstrapMeanDifference([1, Infinity], [1, 2], { paired: false, seed: 0 })).toThrow('a[1]: Infinity is not a finite number');
    expect(() => bootstrapMeanDifference([1, 2], [1, 2], { paired: true, seed: 0, resamples: 2.5 })).toThrow(MaxPoolBertError);
    expect(() => bootstrapMeanDifference([1, 2], [1, 2], { paired: true, seed: 0, confidence: 1 })).toThrow('confidence: 1 is not between 0 and 1');
    expect(() => bootstrapMeanDifference([1, 2], [1, 2], { paired: true, seed: NaN })).toThrow('seed: NaN is not a finite number');
  });
});
