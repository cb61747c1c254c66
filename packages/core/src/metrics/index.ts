import { inputError } from '../errors.js';
import { accuracy, f1Score, matthewsCorrcoef } from './classification.js';
import { meanSquaredError, pearson, spearman } from './regression.js';

export * from './classification.js';
export * from './regression.js';

export type MetricName = 'accuracy' | 'f1' | 'mcc' | 'pearson' | 'spearman' | 'mse';

export const METRIC_NAMES: readonly MetricName[] = ['accuracy', 'f1', 'mcc', 'pearson', 'spearman', 'mse'];

/** Display names. */
export const METRIC_LABELS: Record<MetricName, string> = {
  accuracy: 'Accuracy',
  f1: 'F1',
  mcc: 'Matthews corr.',
  pearson: 'Pearson',
  spearman: 'Spearman',
  mse: 'MSE',
};

/** Whether a larger value is better (all but MSE). */
export const HIGHER_IS_BETTER: Record<MetricName, boolean> = {
  accuracy: true,
  f1: true,
  mcc: true,
  pearson: true,
  spearman: true,
  mse: false,
};

/** Metrics that compare class ids (the others compare real values). */
export const CLASSIFICATION_METRICS: readonly MetricName[] = ['accuracy', 'f1', 'mcc'];

export function isMetricName(name: string): name is MetricName {
  return (METRIC_NAMES as readonly string[]).includes(name);
}

/** Whether a larger value of the metric is better (false only for MSE). */
export function isHigherBetter(name: MetricName): boolean {
  return HIGHER_IS_BETTER[name];
}

/** Whether metric value `a` is better than `b`. */
export function isBetter(name: MetricName, a: number, b: number): boolean {
  return HIGHER_IS_BETTER[name] ? a > b : a < b;
}

const FUNCTIONS: Record<MetricName, (p: ArrayLike<number>, l: ArrayLike<number>) => number> = {
  accuracy,
  f1: (p, l) => f1Score(p, l, 1),
  mcc: matthewsCorrcoef,
  pearson,
  spearman,
  mse: meanSquaredError,
};

/**
 * Computes the named metrics. `predictions` are class ids for accuracy/f1/mcc (F1 of class 1)
 * and real values for pearson/spearman/mse; `labels` likewise.
 */
export function computeMetrics<N extends MetricName>(
  names: readonly N[],
  predictions: ArrayLike<number>,
  labels: ArrayLike<number>,
): Record<N, number> {
  const out = {} as Record<N, number>;
  for (const name of names) {
    const fn = FUNCTIONS[name];
    if (!fn) {
      throw inputError(`unknown metric "${String(name)}"`, { field: 'metrics', fix: `use ${METRIC_NAMES.join(', ')}` });
    }
    out[name] = fn(predictions, labels);
  }
  return out;
}

export interface Summary {
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single value. */
  std: number;
  min: number;
  max: number;
  n: number;
}

/** Mean, sample std, min and max of e.g. one metric over several seeds. */
export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) throw inputError('no values to summarize', { field: 'values', fix: 'pass at least one value' });
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, min, max, n };
}
