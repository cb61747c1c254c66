/**
 * The distribution functions the tests need, from stdlib (pure JS, no Node built-ins, so core
 * still runs in browsers). Only the tails are wrapped: every test here is two-sided.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantileFn from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';

/** Two-sided p-value of a Student t statistic: 2·P(T_df ≤ −|t|). ±Infinity gives 0. */
export function studentTTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || Number.isNaN(df)) return NaN;
  // Computed from the lower tail so a tiny p keeps its digits (1 − cdf would round to 0).
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}

/** Two-sided p-value of a standard normal statistic: 2·Φ(−|z|). */
export function normalTwoSidedP(z: number): number {
  if (Number.isNaN(z)) return NaN;
  return Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1));
}

/** Φ⁻¹(p), the standard normal quantile (scipy.stats.norm.ppf). */
export function normalQuantile(p: number): number {
  return normalQuantileFn(p, 0, 1);
}
