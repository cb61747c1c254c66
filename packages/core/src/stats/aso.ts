/**
 * Almost Stochastic Order (ASO): Dror, Shlomov & Reichart (2019), "Deep Dominance — How to
 * Properly Compare Deep Neural Models" (ACL), building on del Barrio, Cuesta-Albertos & Matrán
 * (2018). It asks how far the scores of `a` are from being stochastically larger than those of
 * `b` (every quantile of a at least b's), with no assumption about their distribution.
 *
 * This follows deep-significance's `aso()` (Kaleidophon/deep-significance, deepsig/aso.py,
 * version 1.2.x: the code after 1.2.4's confidence_level change, where a confidence level of
 * 0.95 means 95 % and `num_samples` is deprecated and ignored), step by step:
 *   - empirical quantile functions F⁻¹(t) = sorted[ceil(n·t) − 1] (clipped to the ends);
 *   - the violation ratio ε_W2 = ∫_{F⁻¹<G⁻¹} (G⁻¹ − F⁻¹)² dt / ∫ (G⁻¹ − F⁻¹)² dt, as Riemann sums
 *     over t = dt, 2dt, … < 1 with dt = 0.005 (0.5 when the two quantile functions are equal);
 *   - σ̂ from a bootstrap: resample n scores of a and m of b by inverse-transform sampling
 *     (F⁻¹ of a uniform draw) and recompute ε_W2, `bootstrapIterations` times;
 *   - ε_min = clip(ε_W2 − √((n+m)/(nm)) · σ̂ · Φ⁻¹(1 − confidence), 0, 1), where
 *     σ̂ = std(√(nm/(n+m)) · (ε*_W2 − ε_W2)) (population std, numpy's default).
 * Φ⁻¹(1 − 0.95) < 0, so ε_min lies above ε_W2: an upper bound on the violation at that confidence.
 *
 * The only difference from deepsig is the random numbers: deepsig reseeds numpy with
 * seed + i per iteration; here one SeededRng(seed) stream gives every draw, so a seed gives the
 * same ε_min on every run and platform (not deepsig's numbers for the same seed).
 */
import { SeededRng } from '../random/seeded-rng.js';
import { normalQuantile } from './distributions.js';
import { checkCount, checkFinite, checkProbability, checkSeed } from './validate.js';

export interface AsoOptions {
  /** Same seed, same ε_min (core's SeededRng). */
  seed: number;
  /** deepsig's confidence_level: default 0.95. Higher gives a larger (more cautious) ε_min. */
  confidenceLevel?: number;
  /** deepsig's num_bootstrap_iterations: default 1000. */
  bootstrapIterations?: number;
}

/** deepsig's default integration step for t. */
export const ASO_DT = 0.005;
export const ASO_DEFAULT_CONFIDENCE = 0.95;
export const ASO_DEFAULT_BOOTSTRAP_ITERATIONS = 1000;

/**
 * The points t of the integrals, as numpy.arange(dt, 1, dt) makes them (length
 * ceil((1 − dt)/dt), values dt + i·((dt + dt) − dt)), so the quantile indices ceil(n·t) − 1 land
 * exactly where deepsig's do, even where n·t is a whole number up to rounding.
 */
function integrationGrid(dt: number): Float64Array {
  const length = Math.ceil((1 - dt) / dt);
  const delta = dt + dt - dt;
  const t = new Float64Array(length);
  for (let i = 0; i < length; i++) t[i] = dt + i * delta;
  return t;
}

const GRID = integrationGrid(ASO_DT);

// Hoisted: this runs ~400 times per bootstrap iteration, and some hosts make every lookup of
// the global `Math` slow (in Jest's vm contexts it costs ~40× a local).
const { ceil, min, max } = Math;

/** Index into sorted scores of the empirical quantile F⁻¹(p): ceil(n·p) − 1, clipped to [0, n − 1]. */
function quantileIndex(n: number, p: number): number {
  return min(n - 1, max(0, ceil(n * p) - 1));
}

/** deepsig's get_quantile_function: the empirical quantile F⁻¹(p) of scores sorted ascending. */
export function empiricalQuantile(sorted: ArrayLike<number>, p: number): number {
  return sorted[quantileIndex(sorted.length, p)];
}

/** F⁻¹ at every grid point, for scores already sorted ascending. */
function quantilesOnGrid(sorted: ArrayLike<number>): Float64Array {
  const q = new Float64Array(GRID.length);
  for (let i = 0; i < GRID.length; i++) q[i] = empiricalQuantile(sorted, GRID[i]);
  return q;
}

function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * ε_W2(F, G): the share of the squared 2-Wasserstein distance between a's and b's quantile
 * functions that lies where b's is above a's (where "a is larger" is violated). 0: a
 * dominates everywhere; 1: b does; 0.5 when the distance is 0 (identical distributions, deepsig's
 * convention). Arguments are sorted scores.
 */
export function violationRatio(sortedA: ArrayLike<number>, sortedB: ArrayLike<number>): number {
  const f = quantilesOnGrid(sortedA);
  const g = quantilesOnGrid(sortedB);
  let distance = 0;
  let violation = 0;
  for (let i = 0; i < GRID.length; i++) {
    const diff = g[i] - f[i];
    distance += diff * diff * ASO_DT;
    // deepsig sums the violation from the second grid point on (`diff[1:]`, meant to skip t = 0
    // after the grid stopped starting at 0); kept, so the numbers are deepsig's.
    if (i > 0 && f[i] < g[i]) violation += diff * diff * ASO_DT;
  }
  return distance === 0 ? 0.5 : violation / distance;
}

/** n scores drawn from the empirical distribution of `sorted` by inverse-transform sampling, sorted. */
function resampleSorted(sorted: ArrayLike<number>, rng: SeededRng): Float64Array {
  const n = sorted.length;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = empiricalQuantile(sorted, rng.next());
  return out.sort();
}

/**
 * ε_min that scores `a` are stochastically larger than `b` (higher = better): below 0.5 a is
 * the better one, and the smaller the more clearly (0: a dominates); 1: b dominates; about 0.5:
 * neither. a and b may differ in length. Fewer than 2 scores on either side: NaN (deepsig
 * accepts 1, but a single score has no spread to bootstrap, so σ̂ = 0 and ε_min would claim
 * certainty it does not have). Seeded: the same seed gives the same ε_min.
 */
export function almostStochasticOrder(a: readonly number[], b: readonly number[], opts: AsoOptions): number {
  const confidence = opts.confidenceLevel ?? ASO_DEFAULT_CONFIDENCE;
  const iterations = opts.bootstrapIterations ?? ASO_DEFAULT_BOOTSTRAP_ITERATIONS;
  checkProbability(confidence, 'confidenceLevel');
  checkCount(iterations, 'bootstrapIterations');
  checkSeed(opts.seed);
  checkFinite(a, 'a');
  checkFinite(b, 'b');
  const n = a.length;
  const m = b.length;
  if (n < 2 || m < 2) return NaN;

  const sortedA = sortedCopy(a);
  const sortedB = sortedCopy(b);
  const ratio = violationRatio(sortedA, sortedB);
  const rng = new SeededRng(opts.seed);
  const c = Math.sqrt((n * m) / (n + m));
  const scaled = new Float64Array(iterations);
  for (let it = 0; it < iterations; it++) {
    scaled[it] = c * (violationRatio(resampleSorted(sortedA, rng), resampleSorted(sortedB, rng)) - ratio);
  }
  // σ̂ = std(c · (ε* − ε)), numpy's population std (ddof = 0), two passes.
  let meanScaled = 0;
  for (const v of scaled) meanScaled += v / iterations;
  let ss = 0;
  for (const v of scaled) ss += (v - meanScaled) * (v - meanScaled);
  const sigmaHat = Math.sqrt(ss / iterations);
  const epsMin = ratio - (1 / c) * sigmaHat * normalQuantile(1 - confidence);
  return Math.min(1, Math.max(0, epsMin));
}
