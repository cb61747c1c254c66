import { HIGHER_IS_BETTER, isMetricName, median, METRIC_LABELS, summarize, type MetricName, type Summary } from '@maxpoolbert/core';
import type { CompareChartData, MetricBounds } from '../report/svg-chart.js';
import { formatDuration, formatMeanStd, formatTable } from '../report/table.js';
import type { Comparison } from './compare-statistics.js';
import { countFailedRuns, formatFailedRuns, runFailed, type FailedRuns } from './failed-runs.js';
import type { RunResult } from './run-training.js';

/** One metric over a head's seeds: mean, sample std, min, max, n and the median. */
export interface MetricStats extends Summary {
  median: number;
}

export interface HeadSummary {
  head: string;
  runs: number;
  metrics: Record<string, MetricStats>;
  trainSeconds: Summary;
  /** Runs stuck at one class (see failed-runs.ts): counted here, kept in every number. */
  failedRuns: FailedRuns;
}

/** The std every report shows: the sample standard deviation over seeds (divided by n − 1). */
export const STD_NAME = 'std (n−1)';

/** The values each metric can take: chart axes stop there (an F1 axis never runs to 1.2). */
const METRIC_BOUNDS: Record<MetricName, MetricBounds> = {
  accuracy: { min: 0, max: 1 }, f1: { min: 0, max: 1 }, mcc: { min: -1, max: 1 },
  pearson: { min: -1, max: 1 }, spearman: { min: -1, max: 1 }, mse: { min: 0 },
};

const boundsOf = (metric: string): MetricBounds | undefined => (isMetricName(metric) ? METRIC_BOUNDS[metric] : undefined);

/** Mean ± sample std (and median, min, max) of every dev metric per head over its seeds, and its failed runs. */
export function summarizeRuns(runs: RunResult[], heads: string[]): HeadSummary[] {
  return heads.map((head) => {
    const mine = runs.filter((r) => r.head === head);
    const names = [...new Set(mine.flatMap((r) => Object.keys(r.best?.metrics ?? {})))];
    const metrics: Record<string, MetricStats> = {};
    for (const name of names) {
      const values = mine.map((r) => (r.best?.metrics as Record<string, number>)[name] ?? NaN);
      metrics[name] = { ...summarize(values), median: median(values) };
    }
    return { head, runs: mine.length, metrics, trainSeconds: summarize(mine.map((r) => r.trainSeconds)), failedRuns: countFailedRuns(mine) };
  });
}

/** Metric values are shown ×100 for bounded scores (as the paper's tables), raw for MSE. */
export function scale(metric: string): number {
  return metric === 'mse' ? 1 : 100;
}

/** The per-head table: runs, failed runs, then per metric mean ± sample std, median, min and max. */
export function formatCompareTable(summaries: HeadSummary[], mainMetric: string): string {
  const metrics = [mainMetric, ...Object.keys(summaries[0]?.metrics ?? {}).filter((m) => m !== mainMetric)];
  const headers = ['head', 'runs', 'failed'];
  for (const m of metrics) headers.push(`${label(m)} mean ± ${STD_NAME}`, 'median', 'min', 'max');
  headers.push('train time (mean)');
  const rows = summaries.map((s) => {
    const row: (string | number)[] = [s.head, s.runs, formatFailedRuns(s.failedRuns)];
    for (const m of metrics) {
      const v = s.metrics[m];
      const k = scale(m);
      const cell = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? (x * k).toFixed(2) : '');
      row.push(v ? formatMeanStd(v.mean * k, v.std * k) : 'n/a', cell(v?.median), cell(v?.min), cell(v?.max));
    }
    row.push(formatDuration(s.trainSeconds.mean));
    return row;
  });
  return formatTable(headers, rows, { align: headers.map((_, i) => (i === 0 ? 'left' : 'right')) });
}

export function label(metric: string): string {
  return isMetricName(metric) ? METRIC_LABELS[metric] : metric;
}

/** One CSV row per run. */
export function runsToCsv(runs: RunResult[]): string {
  const metrics = [...new Set(runs.flatMap((r) => Object.keys(r.best?.metrics ?? {})))];
  const header = ['head', 'seed', ...metrics, 'best_step', 'steps', 'train_seconds', 'stopped_early'];
  const lines = runs.map((r) => [
    r.head, r.seed, ...metrics.map((m) => (r.best?.metrics as Record<string, number> | undefined)?.[m] ?? ''), r.best?.step ?? '', r.steps,
    r.trainSeconds.toFixed(3), r.stoppedEarly,
  ].join(','));
  return [header.join(','), ...lines].join('\n') + '\n';
}

const cell = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '' : String(v));

/** The comparison's columns of summary.csv, for one head (the baseline's own row says "baseline"). */
function comparisonCells(c: Comparison, head: string): (string | number)[] {
  const h = c.heads.find((x) => x.head === head);
  if (!h) return [c.baseline, c.alpha, head === c.baseline ? 'baseline' : '', '', '', '', '', '', '', '', '', ''];
  return [
    c.baseline, c.alpha, h.verdict, h.paired ? 'paired' : 'unpaired', h.n, cell(h.difference.estimate), cell(h.difference.low), cell(h.difference.high),
    h.tTest.name, cell(h.tTest.pValue), cell(h.wilcoxon?.pValue), cell(h.asoEpsMin),
  ];
}

/**
 * One CSV row per head: runs, then per metric its mean, sample standard deviation (n − 1, as
 * the column says), min and max over the seeds, then the mean training time. Newer columns
 * come after those, so readers of the older file keep working: failed and unknown runs, each
 * metric's median, and (with a comparison) the head against the baseline on the main metric:
 * verdict, pairing, n, the mean difference with its bootstrap CI, the t-test (name, p), the
 * Wilcoxon p (paired only) and ASO's ε_min.
 */
export function summariesToCsv(summaries: HeadSummary[], comparison?: Comparison): string {
  const metrics = [...new Set(summaries.flatMap((s) => Object.keys(s.metrics)))];
  const header = ['head', 'runs', ...metrics.flatMap((m) => [`${m}_mean`, `${m}_std_sample_n-1`, `${m}_min`, `${m}_max`]), 'train_seconds_mean',
    'failed_runs', 'failed_unknown', ...metrics.map((m) => `${m}_median`)];
  if (comparison) {
    const m = comparison.metric;
    header.push('baseline', 'alpha', 'verdict', 'pairing', 'n_compared', `${m}_diff_mean`, `${m}_diff_ci95_low`, `${m}_diff_ci95_high`,
      't_test', 't_test_p', 'wilcoxon_p', `${m}_aso_eps_min`);
  }
  const lines = summaries.map((s) => [
    s.head, s.runs, ...metrics.flatMap((m) => { const v = s.metrics[m]; return [cell(v?.mean), cell(v?.std), cell(v?.min), cell(v?.max)]; }),
    s.trainSeconds.mean.toFixed(3), s.failedRuns.failed, s.failedRuns.unknown, ...metrics.map((m) => cell(s.metrics[m]?.median)),
    ...(comparison ? comparisonCells(comparison, s.head) : []),
  ].map(csvField).join(','));
  return [header.join(','), ...lines].join('\n') + '\n';
}

/** Quotes a field that holds a comma or quote (a test name like "Welch's t-test" needs none). */
function csvField(v: string | number): string {
  const t = String(v);
  return /[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/**
 * The chart's data: bars per metric with every seed's value as a dot (failed runs marked), the
 * main metric's learning curve per head and seed and, with a comparison, each head's difference
 * to the baseline with its CI.
 */
export function chartData(title: string, runs: RunResult[], summaries: HeadSummary[], mainMetric: string, comparison?: Comparison): CompareChartData {
  const metrics = Object.keys(summaries[0]?.metrics ?? {}).map((name) => ({
    name, label: label(name), higherIsBetter: isMetricName(name) ? HIGHER_IS_BETTER[name as MetricName] : true, bounds: boundsOf(name),
  }));
  return {
    title,
    metrics,
    heads: summaries.map((s) => {
      const mine = runs.filter((r) => r.head === s.head);
      const points = Object.fromEntries(metrics.map((m) => [m.name, mine.flatMap((r) => {
        const value = (r.best?.metrics as Record<string, number> | undefined)?.[m.name];
        return typeof value === 'number' && Number.isFinite(value) ? [{ seed: r.seed, value, failed: runFailed(r) === true }] : [];
      })]));
      return {
        name: s.head,
        values: s.metrics,
        curves: mine.map((r) => r.history.map((h) => ({ step: h.step, value: (h.metrics as Record<string, number>)[mainMetric] }))),
        points,
      };
    }),
    curveMetric: { name: mainMetric, label: label(mainMetric), bounds: boundsOf(mainMetric) },
    // One head alone has nothing to be compared with: no panel.
    ...(comparison && comparison.heads.length > 0 ? {
      differences: {
        baseline: comparison.baseline, metricLabel: label(comparison.metric), higherIsBetter: comparison.higherIsBetter,
        confidence: comparison.heads[0]?.difference.confidence ?? 0.95,
        rows: comparison.heads.map((h) => ({ head: h.head, estimate: h.difference.estimate, low: h.difference.low, high: h.difference.high, verdict: h.verdictText })),
      },
    } : {}),
  };
}
