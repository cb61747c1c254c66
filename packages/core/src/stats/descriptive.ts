/** Arithmetic mean; NaN for no values. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * Sample variance (divided by n − 1, as scipy's t-tests and R's var); NaN below 2 values.
 * Two passes (mean first), which stays accurate for scores like 0.91, 0.92, … where the
 * one-pass Σx² − n·mean² formula cancels catastrophically.
 */
export function sampleVariance(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return NaN;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return ss / (n - 1);
}

/** a[i] − b[i] for paired samples (lengths already checked). */
export function differences(a: readonly number[], b: readonly number[]): number[] {
  return a.map((v, i) => v - b[i]);
}

/**
 * The q-quantile of sorted values with linear interpolation between order statistics
 * (Hyndman & Fan type 7: numpy.percentile's and R's quantile()'s default), so a bootstrap CI
 * here is the one `np.percentile(stats, [2.5, 97.5])` gives.
 */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
