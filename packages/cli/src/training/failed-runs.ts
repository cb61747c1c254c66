import type { RunResult } from './run-training.js';

/**
 * Whether a run failed: its best dev evaluation gave every example the same class (a
 * regression: the same value, where Pearson is 0 by definition). On small data such collapsed
 * runs, stuck at the majority class, are the main source of spread over seeds, so a compare
 * counts them (they stay in every mean and test: dropping them would flatter a head).
 *
 * `undefined` (unknown) when the run cannot tell: results.json files written before
 * evaluations recorded their prediction spread, and runs without a dev evaluation. We do not
 * guess from the metrics (accuracy equal to the majority share, MCC 0): a run can reach those
 * values while predicting both classes.
 */
export function runFailed(run: Pick<RunResult, 'best'>): boolean | undefined {
  const spread = run.best?.predictionSpread;
  if (!spread || !(spread.distinct > 0)) return undefined;
  return spread.distinct === 1;
}

export interface FailedRuns {
  /** Runs that collapsed to one class. */
  failed: number;
  /** Runs that cannot tell (older results, no dev evaluation). */
  unknown: number;
  runs: number;
}

export function countFailedRuns(runs: readonly Pick<RunResult, 'best'>[]): FailedRuns {
  const verdicts = runs.map(runFailed);
  return { failed: verdicts.filter((v) => v === true).length, unknown: verdicts.filter((v) => v === undefined).length, runs: runs.length };
}

/** "0/5", "2/5", "1/5 (2 unknown)", "?/3" when no run can tell. */
export function formatFailedRuns(f: FailedRuns): string {
  if (f.runs > 0 && f.unknown === f.runs) return `?/${f.runs}`;
  return `${f.failed}/${f.runs}${f.unknown ? ` (${f.unknown} unknown)` : ''}`;
}
