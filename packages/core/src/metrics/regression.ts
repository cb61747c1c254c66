import { checkPaired } from './check.js';
import { inputError } from '../errors.js';

function checkFinite(values: ArrayLike<number>, name: string, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw inputError(`${name}[${i}] is ${values[i]}`, { field: what, fix: 'pass finite numbers' });
    }
  }
}

function check(predictions: ArrayLike<number>, labels: ArrayLike<number>, what: string): void {
  checkPaired(predictions, labels, what);
  checkFinite(predictions, 'predictions', what);
  checkFinite(labels, 'labels', what);
}

function pearsonOf(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return 0;
  const r = sxy / Math.sqrt(sxx) / Math.sqrt(syy);
  return Math.max(-1, Math.min(1, r));
}

/**
 * Pearson correlation of predictions and labels. 0 when either is constant (where scipy gives
 * NaN), so a collapsed model scores 0 rather than poisoning averages.
 */
export function pearson(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  check(predictions, labels, 'pearson');
  return pearsonOf(predictions, labels);
}

/** 1-based ranks, ties given the average of the ranks they span (scipy's rankdata "average"). */
export function averageRanks(values: ArrayLike<number>): number[] {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

/** Spearman rank correlation: Pearson of the average ranks. 0 when either side is constant. */
export function spearman(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  check(predictions, labels, 'spearman');
  return pearsonOf(averageRanks(predictions), averageRanks(labels));
}

/** Mean squared error. */
export function meanSquaredError(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  check(predictions, labels, 'mse');
  let s = 0;
  for (let i = 0; i < labels.length; i++) {
    const d = predictions[i] - labels[i];
    s += d * d;
  }
  return s / labels.length;
}
