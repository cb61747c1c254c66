/** A two-sided test of "no difference". */
export interface TestResult {
  /** E.g. "paired t-test", "Welch's t-test", "Wilcoxon signed-rank test". */
  name: string;
  /** t for the t-tests; min(W+, W−) for Wilcoxon. NaN when the test cannot be computed (n < 2). */
  statistic: number;
  /** Two-sided p-value; NaN when the test cannot be computed (n < 2). */
  pValue: number;
  /** Degrees of freedom (t-tests; Welch–Satterthwaite for Welch's, so not a whole number). */
  df?: number;
  /** Observations the test used: pairs (paired t), both samples' sizes together (Welch), non-zero differences (Wilcoxon). */
  n?: number;
}

/** Too few values for any test: every number NaN, so no verdict can come from it. */
export function notComputable(name: string, n: number, withDf: boolean): TestResult {
  return { name, statistic: NaN, pValue: NaN, ...(withDf ? { df: NaN } : {}), n };
}
