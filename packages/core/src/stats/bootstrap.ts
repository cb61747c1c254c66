import { SeededRng } from '../random/seeded-rng.js';
import { differences, mean, quantileOfSorted } from './descriptive.js';
import { checkCount, checkFinite, checkPaired, checkProbability, checkSeed } from './validate.js';

/** An estimate with a confidence interval. */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
  /** E.g. 0.95 for a 95 % interval. */
  confidence: number;
}

export interface BootstrapOptions {
  /** Resample the pairs (a[i], b[i]) together (a.length must equal b.length), or each side on its own. */
  paired: boolean;
  /** Same seed, same interval, on every run and platform (core's SeededRng, not Math.random). */
  seed: number;
  /** Bootstrap resamples (default 10 000). */
  resamples?: number;
  /** Default 0.95. */
  confidence?: number;
}

export const DEFAULT_BOOTSTRAP_RESAMPLES = 10_000;

/** Mean of `n` values drawn with replacement from `values`. */
function resampledMean(values: readonly number[], rng: SeededRng): number {
  const n = values.length;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += values[Math.floor(rng.next() * n)];
  return sum / n;
}

/**
 * mean(a) − mean(b) with a percentile-bootstrap confidence interval (Efron & Tibshirani 1993,
 * ch. 13): draw the samples again with replacement many times, take the difference of means
 * each time, and report the (1 − c)/2 and (1 + c)/2 quantiles of those differences. It assumes
 * no distribution, which suits a handful of seed scores.
 *
 * paired: resample the index i and keep (a[i], b[i]) together, i.e. resample the differences.
 * What a pair shares (the same seed's data order) then cancels, so the interval is narrower
 * than resampling a and b on their own when the two sides go up and down together.
 *
 * Fewer than 2 values on either side: low and high are NaN (one value has no spread to
 * resample); the estimate is still the difference of means when both sides have a value.
 */
export function bootstrapMeanDifference(a: readonly number[], b: readonly number[], opts: BootstrapOptions): Interval {
  const resamples = opts.resamples ?? DEFAULT_BOOTSTRAP_RESAMPLES;
  const confidence = opts.confidence ?? 0.95;
  checkCount(resamples, 'resamples');
  checkProbability(confidence, 'confidence');
  checkSeed(opts.seed);
  if (opts.paired) checkPaired(a, b);
  else {
    checkFinite(a, 'a');
    checkFinite(b, 'b');
  }
  const estimate = mean(a) - mean(b);
  if (a.length < 2 || b.length < 2) return { estimate, low: NaN, high: NaN, confidence };

  const rng = new SeededRng(opts.seed);
  const stats = new Float64Array(resamples);
  if (opts.paired) {
    const d = differences(a, b);
    for (let r = 0; r < resamples; r++) stats[r] = resampledMean(d, rng);
  } else {
    for (let r = 0; r < resamples; r++) stats[r] = resampledMean(a, rng) - resampledMean(b, rng);
  }
  stats.sort();
  return { estimate, low: quantileOfSorted(stats, (1 - confidence) / 2), high: quantileOfSorted(stats, (1 + confidence) / 2), confidence };
}
