import { almostStochasticOrder } from './aso.js';
import { bootstrapMeanDifference, type Interval } from './bootstrap.js';
import { pairedTTest, welchTTest } from './t-tests.js';
import type { TestResult } from './test-result.js';
import { checkFinite, checkPaired, checkProbability } from './validate.js';
import { wilcoxonSignedRank } from './wilcoxon.js';

export type Verdict = 'better' | 'worse' | 'no evidence';

export interface SampleComparison {
  /** Mean(a) − mean(b) in the metric's own units, with its bootstrap CI. */
  difference: Interval;
  paired: boolean;
  /** Paired t when paired, Welch's t otherwise. */
  tTest: TestResult;
  /** Only when paired and at least one difference is non-zero. */
  wilcoxon?: TestResult;
  /** ε_min that a is better than b (orientation already flipped when lower is better): < 0.5 favours a. */
  asoEpsMin: number;
  alpha: number;
  /** 'better'/'worse' when the t-test's p < alpha (direction from the difference, flipped when lower is better); else 'no evidence'. */
  verdict: Verdict;
}

export interface CompareSamplesOptions {
  /** a[i] and b[i] come from the same seed (lengths must match). */
  paired: boolean;
  /** Seeds the bootstrap CI and ASO: the same inputs and seed give the same comparison. */
  seed: number;
  /** False for losses and errors (MSE): then a lower a is "better" and ASO runs on −a vs −b. */
  higherIsBetter: boolean;
  /** Significance level of the verdict (default 0.05). */
  alpha?: number;
}

export const DEFAULT_ALPHA = 0.05;

/**
 * One head's scores (a) against the baseline's (b) on one metric, over seeds: the difference
 * with its bootstrap CI, the t-test (paired or Welch's), Wilcoxon when paired, ASO and a
 * verdict. The verdict rests on the t-test alone, so it is one pre-declared test, not the best
 * of several. Fewer than 2 scores on either side: tests, CI and ε_min are NaN and the verdict is
 * 'no evidence' (it never throws for small n; 5 seeds is normal). Non-finite scores and, when
 * paired, unequal lengths are input errors.
 */
export function compareSamples(a: readonly number[], b: readonly number[], opts: CompareSamplesOptions): SampleComparison {
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  checkProbability(alpha, 'alpha');
  if (opts.paired) checkPaired(a, b);
  else {
    checkFinite(a, 'a');
    checkFinite(b, 'b');
  }
  const { paired, seed, higherIsBetter } = opts;
  const difference = bootstrapMeanDifference(a, b, { paired, seed });
  const tTest = paired ? pairedTTest(a, b) : welchTTest(a, b);
  const wilcoxon = paired ? wilcoxonSignedRank(a, b) : undefined;
  // ASO asks "are a's scores stochastically larger?"; for lower-is-better metrics that question
  // is asked of the negated scores (deepsig's README: multiply such scores by −1).
  const negate = (v: readonly number[]) => v.map((x) => -x);
  const asoEpsMin = higherIsBetter ? almostStochasticOrder(a, b, { seed }) : almostStochasticOrder(negate(a), negate(b), { seed });
  return {
    difference,
    paired,
    tTest,
    ...(wilcoxon && wilcoxon.n !== 0 ? { wilcoxon } : {}),
    asoEpsMin,
    alpha,
    verdict: verdictOf(tTest.pValue, difference.estimate, alpha, higherIsBetter),
  };
}

/** 'better'/'worse' only for a significant, non-zero difference; NaN p (n < 2) is never significant. */
function verdictOf(p: number, estimate: number, alpha: number, higherIsBetter: boolean): Verdict {
  if (!(p < alpha) || estimate === 0 || Number.isNaN(estimate)) return 'no evidence';
  return estimate > 0 === higherIsBetter ? 'better' : 'worse';
}
