// Paired and Welch t-tests against R's documented t.test examples (R's printed output, which
// rounds t to 4–5 significant digits and p to 4), plus the degenerate cases.
import { MaxPoolBertError } from '../../src/errors.js';
import { pairedTTest, welchTTest } from '../../src/stats/t-tests.js';
import { ONE_TO_TEN, SEVEN_TO_TWENTY, SLEEP_GROUP_1, SLEEP_GROUP_2 } from './reference-data.js';

/** |actual − expected| ≤ half a unit in the last digit R printed. */
const closeTo = (actual: number | undefined, expected: number, halfUnit: number) => expect(Math.abs((actual ?? NaN) - expected)).toBeLessThanOrEqual(halfUnit);

describe('pairedTTest', () => {
  it("matches R: t.test(extra ~ group, data = sleep, paired = TRUE) → t = -4.0621, df = 9, p-value = 0.002833", () => {
    const r = pairedTTest(SLEEP_GROUP_1, SLEEP_GROUP_2);
    closeTo(r.statistic, -4.0621, 5e-5);
    expect(r.df).toBe(9);
    closeTo(r.pValue, 0.002833, 5e-7);
    expect(r).toMatchObject({ name: 'paired t-test', n: 10 });
  });

  it('is the same test with the sides swapped, up to the sign of t', () => {
    const ab = pairedTTest(SLEEP_GROUP_1, SLEEP_GROUP_2);
    const ba = pairedTTest(SLEEP_GROUP_2, SLEEP_GROUP_1);
    expect(ba.statistic).toBeCloseTo(-ab.statistic, 12);
    expect(ba.pValue).toBeCloseTo(ab.pValue, 14);
  });

  it('gives NaN (no throw) below 2 pairs', () => {
    for (const [a, b] of [[[], []], [[0.9], [0.8]]] as const) {
      const r = pairedTTest(a, b);
      expect([r.statistic, r.pValue, r.df]).toEqual([NaN, NaN, NaN]);
    }
  });

  it('identical samples: t = 0 and p = 1 instead of 0/0; a constant non-zero difference: p = 0', () => {
    expect(pairedTTest([0.8, 0.81, 0.79], [0.8, 0.81, 0.79])).toMatchObject({ statistic: 0, pValue: 1, df: 2 });
    // scipy.stats.ttest_rel gives t = inf, p = 0 for a difference with no spread.
    expect(pairedTTest([2, 3, 4], [1, 2, 3])).toMatchObject({ statistic: Infinity, pValue: 0 });
  });

  it('rejects unequal lengths and non-finite values with one line naming the problem', () => {
    expect(() => pairedTTest([1, 2, 3], [1, 2])).toThrow(MaxPoolBertError);
    expect(() => pairedTTest([1, 2, 3], [1, 2])).toThrow('paired samples: a has 3 values but b has 2');
    expect(() => pairedTTest([1, NaN], [1, 2])).toThrow('a[1]: NaN is not a finite number (pass finite scores only)');
    expect(() => pairedTTest([1, 2], [1, Infinity])).toThrow('b[1]: Infinity is not a finite number');
  });
});

describe('welchTTest', () => {
  it("matches R: t.test(extra ~ group, data = sleep) → t = -1.8608, df = 17.776, p-value = 0.07939", () => {
    const r = welchTTest(SLEEP_GROUP_1, SLEEP_GROUP_2);
    closeTo(r.statistic, -1.8608, 5e-5);
    closeTo(r.df, 17.776, 5e-4);
    closeTo(r.pValue, 0.07939, 5e-6);
    expect(r).toMatchObject({ name: "Welch's t-test", n: 20 });
  });

  it('matches R: t.test(1:10, y = c(7:20)) → t = -5.4349, df = 21.982, p-value = 1.855e-05', () => {
    const r = welchTTest(ONE_TO_TEN, SEVEN_TO_TWENTY);
    closeTo(r.statistic, -5.4349, 5e-5);
    closeTo(r.df, 21.982, 5e-4);
    closeTo(r.pValue, 1.855e-5, 5e-9);
  });

  it('matches R: t.test(1:10, y = c(7:20, 200)) → t = -1.6329, df = 14.165, p-value = 0.1245 ("NOT significant anymore")', () => {
    const r = welchTTest(ONE_TO_TEN, [...SEVEN_TO_TWENTY, 200]);
    closeTo(r.statistic, -1.6329, 5e-5);
    closeTo(r.df, 14.165, 5e-4);
    closeTo(r.pValue, 0.1245, 5e-5);
  });

  it('takes samples of different sizes and gives NaN (no throw) when either has fewer than 2', () => {
    expect(welchTTest([0.9], [0.8, 0.7, 0.75]).pValue).toBeNaN();
    expect(welchTTest([0.9, 0.91], []).pValue).toBeNaN();
  });

  it('zero spread on both sides: p = 1 for equal means, p = 0 for different ones', () => {
    expect(welchTTest([0.5, 0.5], [0.5, 0.5, 0.5])).toMatchObject({ statistic: 0, pValue: 1 });
    expect(welchTTest([0.6, 0.6], [0.5, 0.5, 0.5])).toMatchObject({ statistic: Infinity, pValue: 0 });
  });

  it('rejects non-finite values', () => {
    expect(() => welchTTest([1, 2], [3, NaN])).toThrow('b[1]: NaN is not a finite number');
  });
});
