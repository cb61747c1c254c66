import { HIGHER_IS_BETTER, isMetricName, METRIC_LABELS, summarize, type MetricName, type Summary } from '@maxpoolbert/core';
import type { CompareChartData, MetricBounds } from '../report/svg-chart.js';
import { formatDuration, formatMeanStd, formatTable } from '../report/table.js';
import type { RunResult } from './run-training.js';

export interface HeadSummary {
  head: string;
  runs: number;
  metrics: Record<string, Summary>;
  trainSeconds: Summary;
}

/** The std every report shows: the sample standard deviation over seeds (divided by n − 1). */
export const STD_NAME = 'std (n−1)';

/** The values each metric can take: chart axes stop there (an F1 axis never runs to 1.2). */
const METRIC_BOUNDS: Record<MetricName, MetricBounds> = {
  accuracy: { min: 0, max: 1 }, f1: { min: 0, max: 1 }, mcc: { min: -1, max: 1 },
  pearson: { min: -1, max: 1 }, spearman: { min: -1, max: 1 }, mse: { min: 0 },
};

const boundsOf = (metric: string): MetricBounds | undefined => (isMetricName(metric) ? METRIC_BOUNDS[metric] : undefined);

/** Mean ± sample std (and min, max) of every dev metric per head, over its seeds. */
export function summarizeRuns(runs: RunResult[], heads: string[]): HeadSummary[] {
  return heads.map((head) => {
    const mine = runs.filter((r) => r.head === head);
    const names = [...new Set(mine.flatMap((r) => Object.keys(r.best?.metrics ?? {})))];
    const metrics: Record<string, Summary> = {};
    for (const name of names) metrics[name] = summarize(mine.map((r) => (r.best?.metrics as Record<string, number>)[name] ?? NaN));
    return { head, runs: mine.length, metrics, trainSeconds: summarize(mine.map((r) => r.trainSeconds)) };
  });
}

/** Metric values are shown ×100 for bounded scores (as the paper's tables), raw for MSE. */
function scale(metric: string): number {
  return metric === 'mse' ? 1 : 100;
}

export function formatCompareTable(summaries: HeadSummary[], mainMetric: string): string {
  const metrics = [mainMetric, ...Object.keys(summaries[0]?.metrics ?? {}).filter((m) => m !== mainMetric)];
  const headers = ['head', 'runs'];
  for (const m of metrics) headers.push(`${label(m)} mean ± ${STD_NAME}`, 'min', 'max');
  headers.push('train time (mean)');
  const rows = summaries.map((s) => {
    const row: (string | number)[] = [s.head, s.runs];
    for (const m of metrics) {
      const v = s.metrics[m];
      const k = scale(m);
      row.push(v ? formatMeanStd(v.mean * k, v.std * k) : 'n/a', v ? (v.min * k).toFixed(2) : '', v ? (v.max * k).toFixed(2) : '');
    }
    row.push(formatDuration(s.trainSeconds.mean));
    return row;
  });
  return formatTable(headers, rows, { align: headers.map((_, i) => (i === 0 ? 'left' : 'right')) });
}

function label(metric: string): string {
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

/**
 * One CSV row per head: runs, then per metric its mean, sample standard deviation (n − 1, as
 * the column says), min and max over the seeds, then the mean training time.
 */
export function summariesToCsv(summaries: HeadSummary[]): string {
  const metrics = [...new Set(summaries.flatMap((s) => Object.keys(s.metrics)))];
  const header = ['head', 'runs', ...metrics.flatMap((m) => [`${m}_mean`, `${m}_std_sample_n-1`, `${m}_min`, `${m}_max`]), 'train_seconds_mean'];
  const cell = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '' : String(v));
  const lines = summaries.map((s) => [
    s.head, s.runs, ...metrics.flatMap((m) => { const v = s.metrics[m]; return [cell(v?.mean), cell(v?.std), cell(v?.min), cell(v?.max)]; }),
    s.trainSeconds.mean.toFixed(3),
  ].join(','));
  return [header.join(','), ...lines].join('\n') + '\n';
}

/** The chart's data: bars per metric, and the main metric's learning curve per head and seed. */
export function chartData(title: string, runs: RunResult[], summaries: HeadSummary[], mainMetric: string): CompareChartData {
  const metrics = Object.keys(summaries[0]?.metrics ?? {}).map((name) => ({
    name, label: label(name), higherIsBetter: isMetricName(name) ? HIGHER_IS_BETTER[name as MetricName] : true, bounds: boundsOf(name),
  }));
  return {
    title,
    metrics,
    heads: summaries.map((s) => ({
      name: s.head,
      values: s.metrics,
      curves: runs.filter((r) => r.head === s.head).map((r) => r.history.map((h) => ({ step: h.step, value: (h.metrics as Record<string, number>)[mainMetric] }))),
    })),
    curveMetric: { name: mainMetric, label: label(mainMetric), bounds: boundsOf(mainMetric) },
  };
}
