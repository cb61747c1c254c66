import { differences, mean, sampleVariance } from './descriptive.js';
import { studentTTwoSidedP } from './distributions.js';
import { notComputable, type TestResult } from './test-result.js';
import { checkFinite, checkPaired } from './validate.js';

export const PAIRED_T_TEST = 'paired t-test';
export const WELCH_T_TEST = "Welch's t-test";

/**
 * t = estimate / standard error with its two-sided p. A zero standard error (every value the
 * same) has no t distribution behind it; scipy returns NaN for 0/0, which would print as a
 * missing p. Here: no difference at all (estimate 0) is t = 0, p = 1, "no evidence"; a constant
 * non-zero difference is t = ±Infinity, p = 0, as scipy gives for it.
 */
function tResult(name: string, estimate: number, se: number, df: number, n: number): TestResult {
  if (se === 0) {
    return estimate === 0 ? { name, statistic: 0, pValue: 1, df, n } : { name, statistic: estimate > 0 ? Infinity : -Infinity, pValue: 0, df, n };
  }
  const t = estimate / se;
  return { name, statistic: t, pValue: studentTTwoSidedP(t, df), df, n };
}

/**
 * Paired t-test on d[i] = a[i] − b[i] (scipy.stats.ttest_rel, R's t.test(paired = TRUE)),
 * two-sided: t = mean(d) / (sd(d)/√n), df = n − 1. Pairing removes what both sides of a pair
 * share (e.g. the data order a seed gives every head), so it sees smaller differences than
 * Welch's test. n < 2 pairs: NaN fields, never a throw. Lengths must match.
 */
export function pairedTTest(a: readonly number[], b: readonly number[]): TestResult {
  checkPaired(a, b);
  const n = a.length;
  if (n < 2) return notComputable(PAIRED_T_TEST, n, true);
  const d = differences(a, b);
  return tResult(PAIRED_T_TEST, mean(d), Math.sqrt(sampleVariance(d) / n), n - 1, n);
}

/**
 * Welch's unequal-variance t-test (scipy.stats.ttest_ind(equal_var=False), R's t.test
 * default), two-sided, with Welch–Satterthwaite degrees of freedom. For samples that are not
 * paired (different seeds, different counts). Fewer than 2 values on either side: NaN fields.
 */
export function welchTTest(a: readonly number[], b: readonly number[]): TestResult {
  checkFinite(a, 'a');
  checkFinite(b, 'b');
  const na = a.length;
  const nb = b.length;
  if (na < 2 || nb < 2) return notComputable(WELCH_T_TEST, na + nb, true);
  const va = sampleVariance(a) / na;
  const vb = sampleVariance(b) / nb;
  const se2 = va + vb;
  const df = se2 === 0 ? NaN : (se2 * se2) / ((va * va) / (na - 1) + (vb * vb) / (nb - 1));
  return tResult(WELCH_T_TEST, mean(a) - mean(b), Math.sqrt(se2), df, na + nb);
}
