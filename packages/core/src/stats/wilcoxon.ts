import { differences } from './descriptive.js';
import { normalTwoSidedP } from './distributions.js';
import { averageRanks } from './ranks.js';
import { notComputable, type TestResult } from './test-result.js';
import { checkPaired } from './validate.js';
import { signedRankCdf } from './wilcoxon-distribution.js';

export const WILCOXON_TEST = 'Wilcoxon signed-rank test';

/** Largest number of non-zero differences that gets the exact distribution (scipy's cut-off). */
export const WILCOXON_EXACT_MAX_N = 50;

/** 'auto' is scipy's default; the others force one p-value method (for tests against published approximations). */
export type WilcoxonMethod = 'auto' | 'exact' | 'approx';

/** Largest |v|: the magnitude roundoff in a − b is relative to. */
function largestMagnitude(values: readonly number[]): number {
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return m;
}

/**
 * Differences that agree to ~12 significant digits of `scale` count as equal, and those within
 * that of 0 as zero. scipy's docs warn that x − y roundoff splits ties (0.8125 − 0.8 and
 * 0.7125 − 0.7 differ in the last bit) and advise rounding first; seed scores such as
 * accuracies k/N hit this all the time. Returns integer keys: equal keys are exact ties.
 */
function differenceKeys(d: readonly number[], scale: number): number[] {
  const quantum = scale * 1e-12;
  return quantum === 0 ? d.map(() => 0) : d.map((v) => Math.round(v / quantum));
}

/**
 * The signed-rank test on differences d (ties and zeros judged at 1e-12 of `scale`, by default
 * the largest |d|; see differenceKeys), two-sided, with scipy.stats.wilcoxon's defaults: zero
 * differences dropped ("wilcox"), statistic T = min(W+, W−). 'auto' uses the exact distribution when there are at most 50 non-zero
 * differences and no zeros or ties (with them the exact distribution is a different one);
 * otherwise the normal approximation with the tie correction of the variance and no continuity
 * correction (scipy's correction=False, R's correct = FALSE).
 */
export function signedRankTest(d: readonly number[], method: WilcoxonMethod = 'auto', scale = largestMagnitude(d)): TestResult {
  const keys = differenceKeys(d, scale);
  const nonZero = keys.filter((k) => k !== 0);
  const zeros = keys.length - nonZero.length;
  const n = nonZero.length;
  // Every difference zero: nothing points either way. scipy raises here; "no evidence" is the answer.
  if (n === 0) return { name: WILCOXON_TEST, statistic: 0, pValue: 1, n: 0 };
  const { ranks, tieSizes } = averageRanks(nonZero.map(Math.abs));
  let wPlus = 0;
  let wMinus = 0;
  nonZero.forEach((k, i) => (k > 0 ? (wPlus += ranks[i]) : (wMinus += ranks[i])));
  const statistic = Math.min(wPlus, wMinus);
  const exact = method === 'exact' || (method === 'auto' && n <= WILCOXON_EXACT_MAX_N && zeros === 0 && tieSizes.length === 0);
  if (exact) {
    // The null distribution is symmetric about n(n+1)/4, so P(W+ ≥ max) = P(W+ ≤ min) and the
    // two-sided p is twice the lower tail at T (capped at 1 when T is the centre).
    return { name: WILCOXON_TEST, statistic, pValue: Math.min(1, 2 * signedRankCdf(statistic, n)), n };
  }
  const meanW = (n * (n + 1)) / 4;
  // Var(W+) = n(n+1)(2n+1)/24, less Σ(t³ − t)/48 over tie groups of size t: ties shrink the spread.
  let variance = n * (n + 1) * (2 * n + 1);
  for (const t of tieSizes) variance -= 0.5 * t * (t * t - 1);
  const z = (statistic - meanW) / Math.sqrt(variance / 24);
  return { name: WILCOXON_TEST, statistic, pValue: normalTwoSidedP(z), n };
}

/**
 * Wilcoxon signed-rank test on d[i] = a[i] − b[i] (scipy.stats.wilcoxon defaults, two-sided;
 * see signedRankTest). Makes no normality assumption, unlike the paired t-test. `n` in the
 * result is the number of non-zero differences used. Fewer than 2 pairs: NaN fields; lengths
 * must match.
 */
export function wilcoxonSignedRank(a: readonly number[], b: readonly number[]): TestResult {
  checkPaired(a, b);
  if (a.length < 2) return notComputable(WILCOXON_TEST, a.length, false);
  return signedRankTest(differences(a, b), 'auto', Math.max(largestMagnitude(a), largestMagnitude(b)));
}
