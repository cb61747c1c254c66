// compareSamples puts the tests together for one head against the baseline: which tests run,
// the verdict and its direction, lower-is-better metrics, small n and bad input.
import { MaxPoolBertError } from '../../src/errors.js';
import { compareSamples } from '../../src/stats/compare-samples.js';
import { median } from '../../src/stats/median.js';
import { pairedTTest, welchTTest } from '../../src/stats/t-tests.js';
import { wilcoxonSignedRank } from '../../src/stats/wilcoxon.js';
import * as core from '../../src/index.js';
import { SLEEP_GROUP_1, SLEEP_GROUP_2 } from './reference-data.js';

describe('compareSamples', () => {
  it('paired: paired t-test and Wilcoxon of the same scores, a bootstrap CI and ASO; significant → a direction', () => {
    // R: the sleep data's paired t-test gives p = 0.002833, so drug 2 (b) is significantly higher.
    const c = compareSamples(SLEEP_GROUP_1, SLEEP_GROUP_2, { paired: true, seed: 0, higherIsBetter: true });
    expect(c.tTest).toEqual(pairedTTest(SLEEP_GROUP_1, SLEEP_GROUP_2));
    expect(c.wilcoxon).toEqual(wilcoxonSignedRank(SLEEP_GROUP_1, SLEEP_GROUP_2));
    expect(c).toMatchObject({ paired: true, alpha: 0.05, verdict: 'worse' });
    expect(c.difference.estimate).toBeCloseTo(-1.58, 12);
    expect(c.difference.high).toBeLessThan(0);
    expect(c.asoEpsMin).toBeGreaterThan(0.5);
    expect(compareSamples(SLEEP_GROUP_2, SLEEP_GROUP_1, { paired: true, seed: 0, higherIsBetter: true })).toMatchObject({ verdict: 'better' });
  });

  it('lower is better (e.g. MSE): the verdict and ASO flip, the difference keeps its sign', () => {
    const higher = compareSamples(SLEEP_GROUP_2, SLEEP_GROUP_1, { paired: true, seed: 0, higherIsBetter: true });
    const lower = compareSamples(SLEEP_GROUP_2, SLEEP_GROUP_1, { paired: true, seed: 0, higherIsBetter: false });
    expect(lower.verdict).toBe('worse');
    expect(lower.difference).toEqual(higher.difference);
    expect(higher.asoEpsMin).toBeLessThan(0.5);
    expect(lower.asoEpsMin).toBeGreaterThan(0.5);
  });

  it('unpaired: Welch\'s t-test and no Wilcoxon; R gives p = 0.07939 for the sleep groups, so no evidence at α = 0.05 but evidence at 0.1', () => {
    const c = compareSamples(SLEEP_GROUP_1, SLEEP_GROUP_2, { paired: false, seed: 0, higherIsBetter: true });
    expect(c.tTest).toEqual(welchTTest(SLEEP_GROUP_1, SLEEP_GROUP_2));
    expect(c.wilcoxon).toBeUndefined();
    expect(c.verdict).toBe('no evidence');
    expect(compareSamples(SLEEP_GROUP_1, SLEEP_GROUP_2, { paired: false, seed: 0, higherIsBetter: true, alpha: 0.1 }).verdict).toBe('worse');
  });

  it('is seeded: the same call gives the same comparison', () => {
    const opts = { paired: true, seed: 11, higherIsBetter: true };
    expect(compareSamples(SLEEP_GROUP_1, SLEEP_GROUP_2, opts)).toEqual(compareSamples(SLEEP_GROUP_1, SLEEP_GROUP_2, opts));
  });

  it('identical samples: p = 1, no Wilcoxon (no non-zero difference), CI [0, 0], no evidence', () => {
    const s = [0.81, 0.83, 0.8, 0.82, 0.84];
    const c = compareSamples(s, [...s], { paired: true, seed: 0, higherIsBetter: true });
    expect(c.tTest.pValue).toBe(1);
    expect(c.wilcoxon).toBeUndefined();
    expect(c.difference).toMatchObject({ estimate: 0, low: 0, high: 0 });
    expect(c.asoEpsMin).toBeGreaterThanOrEqual(0.5);
    expect(c.verdict).toBe('no evidence');
  });

  it('fewer than 2 scores: NaN tests, CI and ε_min, "no evidence", never a throw', () => {
    for (const [a, b, paired] of [[[0.9], [0.8], true], [[], [], true], [[0.9, 0.91], [0.8], false], [[], [0.8, 0.7], false]] as const) {
      const c = compareSamples(a, b, { paired, seed: 0, higherIsBetter: true });
      expect([c.tTest.pValue, c.difference.low, c.difference.high, c.asoEpsMin]).toEqual([NaN, NaN, NaN, NaN]);
      expect(c.verdict).toBe('no evidence');
    }
  });

  it('rejects unequal paired lengths, non-finite scores and a bad alpha with one line', () => {
    expect(() => compareSamples([1, 2], [1], { paired: true, seed: 0, higherIsBetter: true })).toThrow(MaxPoolBertError);
    expect(() => compareSamples([1, 2], [1, NaN], { paired: false, seed: 0, higherIsBetter: true })).toThrow('b[1]: NaN is not a finite number (pass finite scores only)');
    expect(() => compareSamples([1, 2], [1, 2], { paired: true, seed: 0, higherIsBetter: true, alpha: 0 })).toThrow('alpha: 0 is not between 0 and 1');
  });

  it('is exported from @maxpoolbert/core with the rest of the API', () => {
    for (const name of ['pairedTTest', 'welchTTest', 'wilcoxonSignedRank', 'bootstrapMeanDifference', 'almostStochasticOrder', 'median', 'compareSamples']) {
      expect(typeof (core as Record<string, unknown>)[name]).toBe('function');
    }
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([-Infinity, 1, Infinity])).toBe(1);
  });

  it('is NaN for no values or a missing (NaN) value, and leaves its input unsorted', () => {
    expect(median([])).toBeNaN();
    expect(median([0.8, NaN, 0.9])).toBeNaN();
    const v = [3, 1, 2];
    median(v);
    expect(v).toEqual([3, 1, 2]);
  });
});
