// Wilcoxon signed-rank test: ranks, the exact null distribution and the normal approximation,
// each against published numbers (scipy's documentation and test suite, R's wilcox.test help
// and outputs, the standard table of critical values).
import { MaxPoolBertError } from '../../src/errors.js';
import { averageRanks } from '../../src/stats/ranks.js';
import { signedRankCdf, signedRankCounts } from '../../src/stats/wilcoxon-distribution.js';
import { signedRankTest, wilcoxonSignedRank } from '../../src/stats/wilcoxon.js';
import { CORN_DIFFERENCES, HW_DEPRESSION_X, HW_DEPRESSION_Y } from './reference-data.js';

const zeros = (n: number) => new Array<number>(n).fill(0);

describe('averageRanks', () => {
  it('gives ties the mean of their ranks: scipy.stats.rankdata([0, 2, 3, 2]) → [1, 2.5, 4, 2.5] (scipy docs)', () => {
    expect(averageRanks([0, 2, 3, 2])).toEqual({ ranks: [1, 2.5, 4, 2.5], tieSizes: [2] });
  });

  it('ranks by value regardless of input order, and reports every tie group', () => {
    expect(averageRanks([5, 1, 5, 5, 2, 2])).toEqual({ ranks: [5, 1, 5, 5, 2.5, 2.5], tieSizes: [2, 3] });
  });
});

describe('exact signed-rank distribution', () => {
  it('has 2^n sign patterns, symmetric about n(n+1)/4', () => {
    for (const n of [1, 5, 12, 50]) {
      const c = signedRankCounts(n);
      expect(c.reduce((s, v) => s + v, 0)).toBe(2 ** n);
      expect(c).toEqual([...c].reverse());
    }
  });

  it('reproduces the standard table of two-sided α = 0.05 critical values (largest T with P(W ≤ T) ≤ 0.025)', () => {
    // University of York, Department of Mathematics, "Critical Values for T in the Wilcoxon
    // Signed-Rank Test" (york.ac.uk/depts/maths/tables/wilcoxon.htm), P = 0.05 column, n = 6 … 20;
    // the same numbers as OEIS A226330 (2.5 % one-tail).
    const table: Record<number, number> = { 6: 0, 7: 2, 8: 3, 9: 5, 10: 8, 11: 10, 12: 13, 13: 17, 14: 21, 15: 25, 16: 29, 17: 34, 18: 40, 19: 46, 20: 52 };
    for (const [n, critical] of Object.entries(table).map(([k, v]) => [Number(k), v])) {
      expect(signedRankCdf(critical, n)).toBeLessThanOrEqual(0.025);
      expect(signedRankCdf(critical + 1, n)).toBeGreaterThan(0.025);
    }
    // n = 5 has no such T: even P(W = 0) = 1/32 > 0.025.
    expect(signedRankCdf(0, 5)).toBe(1 / 32);
  });
});

describe('wilcoxonSignedRank', () => {
  it('scipy docs example (Wilcoxon 1945 corn data): wilcoxon(d) → (24.0, 0.041259765625), exact', () => {
    const r = wilcoxonSignedRank(CORN_DIFFERENCES, zeros(CORN_DIFFERENCES.length));
    expect(r).toEqual({ name: 'Wilcoxon signed-rank test', statistic: 24, pValue: 0.041259765625, n: 15 });
  });

  it("scipy docs example with method='approx' → (24.0, 0.04088813291185591)", () => {
    const r = signedRankTest(CORN_DIFFERENCES, 'approx');
    expect(r.statistic).toBe(24);
    expect(r.pValue).toBeCloseTo(0.04088813291185591, 14);
  });

  it("R ?wilcox.test, Hollander & Wolfe p. 29f: paired 'greater' → V = 40, p-value = 0.01953 (exact), so two-sided T = 5, p = 2 × 10/512", () => {
    // V = W+ = 40 of 45, so W− = 5 = T. R's one-sided exact p is P(W+ ≥ 40) = 0.01953125; the
    // exact distribution is symmetric, so the two-sided p is exactly twice it.
    const r = wilcoxonSignedRank(HW_DEPRESSION_X, HW_DEPRESSION_Y);
    expect(r.statistic).toBe(5);
    expect(r.pValue).toBeCloseTo(2 * 0.01953125, 15);
    expect(r.n).toBe(9);
    expect(wilcoxonSignedRank(HW_DEPRESSION_Y, HW_DEPRESSION_X).pValue).toBe(r.pValue);
  });

  it("R ?wilcox.test: wilcox.test(y - x, alternative = 'less', exact = FALSE, correct = FALSE) → p-value = 0.01908 (normal approximation)", () => {
    const d = HW_DEPRESSION_Y.map((y, i) => y - HW_DEPRESSION_X[i]);
    // Two-sided = 2 × the one-sided normal tail R printed.
    expect(Math.abs(signedRankTest(d, 'approx').pValue - 2 * 0.01908)).toBeLessThanOrEqual(2 * 5e-6);
  });

  it('ties → normal approximation with the tie correction: R wilcox.test(rep(0.1, 10), exact = FALSE, correct = FALSE) → 0.001565402 (scipy test_wilcoxon_tie)', () => {
    const r = wilcoxonSignedRank(new Array(10).fill(0.1), zeros(10));
    expect(r.statistic).toBe(0);
    expect(Math.abs(r.pValue - 0.001565402)).toBeLessThanOrEqual(0.001565402 * 1e-6);
  });

  it('zeros are dropped and ties corrected: R 3.4.1 on x, y of scipy test_onesided → W+ = 27, one-sided p 0.2968153 / 0.7031847 (exact = FALSE, correct = FALSE)', () => {
    const x = [125, 115, 130, 140, 140, 115, 140, 125, 140, 135];
    const y = [110, 122, 125, 120, 140, 124, 123, 137, 135, 145];
    const r = wilcoxonSignedRank(x, y);
    // One zero difference is dropped: 9 left, ranks sum to 45, W+ = 27, so T = min(27, 18) = 18.
    expect(r).toMatchObject({ statistic: 18, n: 9 });
    expect(Math.abs(r.pValue - 2 * 0.2968153)).toBeLessThanOrEqual(2 * 5e-7);
  });

  it("scipy test_accuracy_wilcoxon, zero_method='wilcox' (zeros and ties, n > 50) → T = 327, p = 0.00641346115861", () => {
    const freq = [1, 4, 16, 15, 8, 4, 5, 1, 2];
    const x = freq.flatMap((count, i) => new Array<number>(count).fill(i - 4));
    const r = wilcoxonSignedRank(x, zeros(x.length));
    expect(r.statistic).toBe(327);
    expect(r.pValue).toBeCloseTo(0.00641346115861, 13);
  });

  it("R wilcox.test(x, y, paired = TRUE, exact = FALSE, correct = FALSE) → T = 34, p = 0.6948866 (scipy test_accuracy_wilcoxon)", () => {
    const x = [120, 114, 181, 188, 180, 146, 121, 191, 132, 113, 127, 112];
    const y = [133, 143, 119, 189, 112, 199, 198, 113, 115, 121, 142, 187];
    const r = signedRankTest(x.map((v, i) => v - y[i]), 'approx');
    expect(r.statistic).toBe(34);
    expect(Math.abs(r.pValue - 0.6948866)).toBeLessThanOrEqual(0.6948866 * 1e-6);
  });

  it('counts differences equal up to float roundoff as ties (scipy docs: round x − y first)', () => {
    // 0.8125 − 0.8 and 0.7125 − 0.7 are both 0.0125 but differ in the last bit as doubles.
    expect(0.8125 - 0.8).not.toBe(0.7125 - 0.7);
    const r = wilcoxonSignedRank([0.8125, 0.7125, 0.9, 0.6], [0.8, 0.7, 0.95, 0.58]);
    // Tied 0.0125s share rank 1.5; |−0.05| is 4, 0.02 is 3: W− = 4, W+ = 6; ties → approximation.
    expect(r.statistic).toBe(4);
    expect(r.pValue).toBeCloseTo(signedRankTest([1.25, 1.25, -5, 2], 'approx').pValue, 14);
  });

  it('identical samples: no non-zero difference, p = 1, no throw', () => {
    expect(wilcoxonSignedRank([0.8, 0.9, 0.85], [0.8, 0.9, 0.85])).toEqual({ name: 'Wilcoxon signed-rank test', statistic: 0, pValue: 1, n: 0 });
  });

  it('gives NaN (no throw) below 2 pairs and rejects bad input', () => {
    expect(wilcoxonSignedRank([0.9], [0.8]).pValue).toBeNaN();
    expect(() => wilcoxonSignedRank([1, 2], [1])).toThrow(MaxPoolBertError);
    expect(() => wilcoxonSignedRank([1, 2], [1, NaN])).toThrow('b[1]: NaN is not a finite number');
  });
});
