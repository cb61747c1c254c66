import { checkClassIds, checkPaired } from './check.js';

/** Counts of a binary problem for one positive class. */
export interface BinaryCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

function check(predictions: ArrayLike<number>, labels: ArrayLike<number>, what: string): void {
  checkPaired(predictions, labels, what);
  checkClassIds(predictions, 'predictions', what);
  checkClassIds(labels, 'labels', what);
}

/** Fraction of predictions equal to the label. */
export function accuracy(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  check(predictions, labels, 'accuracy');
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) correct++;
  return correct / labels.length;
}

/**
 * Confusion matrix: `m[trueClass][predictedClass]` counts. Size: `numClasses`, or one more than
 * the largest id seen.
 */
export function confusionMatrix(predictions: ArrayLike<number>, labels: ArrayLike<number>, numClasses?: number): number[][] {
  check(predictions, labels, 'confusionMatrix');
  let k = numClasses ?? 0;
  for (let i = 0; i < labels.length; i++) k = Math.max(k, labels[i] + 1, predictions[i] + 1);
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]][predictions[i]]++;
  return m;
}

/** True/false positives/negatives for one positive class (default 1, as GLUE and sklearn). */
export function binaryCounts(predictions: ArrayLike<number>, labels: ArrayLike<number>, positive = 1): BinaryCounts {
  check(predictions, labels, 'binaryCounts');
  const c: BinaryCounts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < labels.length; i++) {
    const p = predictions[i] === positive;
    const t = labels[i] === positive;
    if (p && t) c.tp++;
    else if (p) c.fp++;
    else if (t) c.fn++;
    else c.tn++;
  }
  return c;
}

/** Precision of the positive class; 0 when nothing is predicted positive (sklearn's zero_division). */
export function precision(predictions: ArrayLike<number>, labels: ArrayLike<number>, positive = 1): number {
  const { tp, fp } = binaryCounts(predictions, labels, positive);
  return tp + fp === 0 ? 0 : tp / (tp + fp);
}

/** Recall of the positive class; 0 when no label is positive. */
export function recall(predictions: ArrayLike<number>, labels: ArrayLike<number>, positive = 1): number {
  const { tp, fn } = binaryCounts(predictions, labels, positive);
  return tp + fn === 0 ? 0 : tp / (tp + fn);
}

/**
 * Binary F1 of the positive class (default 1), as sklearn's f1_score(average="binary"):
 * 2tp / (2tp + fp + fn), and 0 when there are no positives at all.
 */
export function f1Score(predictions: ArrayLike<number>, labels: ArrayLike<number>, positive = 1): number {
  const { tp, fp, fn } = binaryCounts(predictions, labels, positive);
  const denom = 2 * tp + fp + fn;
  return denom === 0 ? 0 : (2 * tp) / denom;
}

/**
 * Matthews correlation coefficient, sklearn's multiclass definition (Gorodkin's R_K):
 * (c·s − Σ p_k t_k) / sqrt((s² − Σ p_k²)(s² − Σ t_k²)), c = correct, s = samples, p_k / t_k =
 * times class k is predicted / true. 0 when undefined (all predictions or all labels one class).
 */
export function matthewsCorrcoef(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  const m = confusionMatrix(predictions, labels);
  const k = m.length;
  const t = new Array<number>(k).fill(0);
  const p = new Array<number>(k).fill(0);
  let correct = 0;
  let s = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      t[i] += m[i][j];
      p[j] += m[i][j];
      s += m[i][j];
    }
    correct += m[i][i];
  }
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (let i = 0; i < k; i++) {
    tp += t[i] * p[i];
    pp += p[i] * p[i];
    tt += t[i] * t[i];
  }
  const covYtYp = correct * s - tp;
  const covYpYp = s * s - pp;
  const covYtYt = s * s - tt;
  if (covYpYp === 0 || covYtYt === 0) return 0;
  return covYtYp / Math.sqrt(covYtYt) / Math.sqrt(covYpYp);
}
