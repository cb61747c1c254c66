import { compareSamples, HIGHER_IS_BETTER, isMetricName, type Interval, type SampleComparison, type TestResult, type Verdict } from '@maxpoolbert/core';
import type { RunResult } from './run-training.js';

/** The significance level of every verdict. */
export const ALPHA = 0.05;
/** The bootstrap and ASO seed: a rerun of the same compare prints the same table. */
export const STATS_SEED = 0;

/** The tests behind each column, as results.json names them. */
export const TEST_NAMES = {
  paired: { tTest: 'paired t-test', wilcoxon: 'Wilcoxon signed-rank test', pairing: 'by seed' },
  unpaired: { tTest: "Welch's t-test" },
  ci: 'percentile bootstrap over seeds (paired: resampling seed pairs), 10000 resamples',
  aso: 'Almost Stochastic Order ε_min (Dror et al. 2019), head vs baseline',
} as const;

/** One head against the baseline on the main metric. */
export interface HeadComparison {
  head: string;
  /** Seeds compared: pairs when paired, else the head's runs (the baseline's are `baselineRuns`). */
  n: number;
  baselineRuns: number;
  paired: boolean;
  /** Mean(head) − mean(baseline) in the metric's own units (0..1 for accuracy), with its CI. */
  difference: Interval;
  tTest: TestResult;
  wilcoxon?: TestResult;
  /** ε_min that the head scores higher than the baseline (lower when lower is better): < 0.5 favours the head. */
  asoEpsMin: number;
  verdict: Verdict;
  /** The verdict as the table prints it, e.g. "better (significant at α=0.05)". */
  verdictText: string;
}

export interface Comparison {
  baseline: string;
  metric: string;
  higherIsBetter: boolean;
  alpha: number;
  seed: number;
  tests: typeof TEST_NAMES;
  /** Why the baseline is not the default (cls is not among the heads). */
  note?: string;
  /** Every head but the baseline, in --heads order. */
  heads: HeadComparison[];
}

/** "better (significant at α=0.05)", "worse (significant at α=0.05)" or "no evidence". */
export function verdictText(verdict: Verdict, alpha: number): string {
  return verdict === 'no evidence' ? verdict : `${verdict} (significant at α=${alpha})`;
}

/** Seed → the run's best dev value of `metric`, for runs that have a finite one. */
function scoresBySeed(runs: readonly RunResult[], head: string, metric: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of runs) {
    if (r.head !== head) continue;
    const v = (r.best?.metrics as Record<string, number> | undefined)?.[metric];
    if (typeof v === 'number' && Number.isFinite(v)) out.set(r.seed, v);
  }
  return out;
}

/**
 * The head's and the baseline's scores, paired by seed when both ran the same seeds (a compare's
 * runs do: one seed shuffles the training data the same way for every head, so pairing takes
 * that shared luck out of the difference); otherwise two independent samples.
 */
export function pairBySeed(head: Map<number, number>, baseline: Map<number, number>): { a: number[]; b: number[]; paired: boolean } {
  const seeds = [...head.keys()].sort((x, y) => x - y);
  const same = seeds.length === baseline.size && seeds.every((s) => baseline.has(s));
  if (same) return { a: seeds.map((s) => head.get(s)!), b: seeds.map((s) => baseline.get(s)!), paired: true };
  const sorted = (m: Map<number, number>) => [...m.entries()].sort((x, y) => x[0] - y[0]).map(([, v]) => v);
  return { a: sorted(head), b: sorted(baseline), paired: false };
}

/** Every head against `baseline` on `metric`, with seeded (reproducible) bootstrap and ASO. */
export function compareWithBaseline(runs: readonly RunResult[], heads: readonly string[], metric: string, baseline: string, note?: string): Comparison {
  const higherIsBetter = isMetricName(metric) ? HIGHER_IS_BETTER[metric] : true;
  const base = scoresBySeed(runs, baseline, metric);
  const rows = heads.filter((h) => h !== baseline).map((head): HeadComparison => {
    const { a, b, paired } = pairBySeed(scoresBySeed(runs, head, metric), base);
    const c: SampleComparison = compareSamples(a, b, { paired, seed: STATS_SEED, higherIsBetter, alpha: ALPHA });
    return {
      head, n: a.length, baselineRuns: b.length, paired: c.paired, difference: c.difference, tTest: c.tTest,
      ...(c.wilcoxon ? { wilcoxon: c.wilcoxon } : {}), asoEpsMin: c.asoEpsMin, verdict: c.verdict, verdictText: verdictText(c.verdict, c.alpha),
    };
  });
  return { baseline, metric, higherIsBetter, alpha: ALPHA, seed: STATS_SEED, tests: TEST_NAMES, ...(note ? { note } : {}), heads: rows };
}
