// Almost Stochastic Order against its published definition (Dror et al. 2019; del Barrio et
// al. 2018) and the checks in deep-significance's own test suite (deepsig/tests/test_aso.py:
// ASOTechnicalTests, ASOSanityChecks), whose tolerances are kept. deepsig's README prints no
// reproducible numbers (its examples draw unseeded random scores), so there are none to copy.
import { MaxPoolBertError } from '../../src/errors.js';
import { SeededRng } from '../../src/random/seeded-rng.js';
import { almostStochasticOrder, empiricalQuantile, violationRatio } from '../../src/stats/aso.js';

const normals = (seed: number, n: number, loc = 0, scale = 1): number[] => {
  const rng = new SeededRng(seed);
  return Array.from({ length: n }, () => loc + scale * rng.normal());
};
const sorted = (v: readonly number[]) => Float64Array.from(v).sort();
const ratio = (a: readonly number[], b: readonly number[]) => violationRatio(sorted(a), sorted(b));

describe('empirical quantile function (deepsig test_get_quantile_function)', () => {
  it('of 100 000 uniform draws is the identity within 0.01', () => {
    const rng = new SeededRng(1);
    const u = sorted(Array.from({ length: 100_000 }, () => rng.next()));
    for (let p = 0; p < 1; p += 0.1) expect(Math.abs(empiricalQuantile(u, p) - p)).toBeLessThanOrEqual(0.01);
  });

  it('of 100 000 normal draws gives the standard normal table values within 0.15 (Φ(1) ≈ 0.84, Φ(−0.5) ≈ 0.31, Φ(−1) ≈ 0.16)', () => {
    const z = sorted(normals(2, 100_000));
    for (const [p, x] of [[0.84, 1], [0.5, 0], [0.31, -0.5], [0.16, -1]]) expect(Math.abs(empiricalQuantile(z, p) - x)).toBeLessThanOrEqual(0.15);
  });

  it('is F⁻¹(p) = sorted[ceil(n·p) − 1], clipped at the ends', () => {
    const s = sorted([3, 1, 2, 4]);
    expect([0, 0.25, 0.26, 0.5, 0.75, 0.99, 1].map((p) => empiricalQuantile(s, p))).toEqual([1, 1, 2, 2, 3, 4, 4]);
  });
});

describe('violation ratio ε_W2', () => {
  it('is 0 when a is above b at every quantile, ~1 when below, 0.5 for identical samples', () => {
    const b = [0.8, 0.82, 0.81, 0.79, 0.83];
    expect(ratio(b.map((v) => v + 0.05), b)).toBe(0);
    // 198/199, not 1: deepsig's numerator skips the first of the 199 grid points (`diff[1:]`).
    expect(ratio(b, b.map((v) => v + 0.05))).toBeCloseTo(198 / 199, 12);
    expect(ratio(b, [...b].reverse())).toBe(0.5);
  });

  it('is the share of the squared quantile distance where b is above a', () => {
    // Quantile functions on t ∈ (0, 1): a = 0 below t = 0.5 and 3 above; b = 1 everywhere.
    // (b − a)² is 1 on the lower half (b above a: violation) and 4 on the upper half: 1/(1+4).
    expect(ratio([0, 3], [1, 1])).toBeCloseTo(1 / 5, 2);
  });

  it('shrinks as a moves above b (deepsig test_compute_violation_ratio)', () => {
    const b = normals(3, 2000, 0, 2);
    const ratios = [0, 0.25, 0.5, 0.75, 1].map((loc) => ratio(normals(4, 2000, loc), b));
    expect([...ratios].sort((x, y) => y - x)).toEqual(ratios);
  });

  it('is symmetric, ε(a, b) + ε(b, a) ≈ 1 (del Barrio et al. 2018), up to deepsig skipping the first grid point', () => {
    const a = normals(5, 1000, 0.1, 0.3);
    const b = normals(6, 1000, 0.2, 0.1);
    expect(Math.abs(ratio(a, b) + ratio(b, a) - 1)).toBeLessThan(0.05);
  });

  it('averages 0.5 over many pairs drawn from one distribution (neither is larger)', () => {
    let sum = 0;
    for (let k = 0; k < 100; k++) sum += ratio(normals(1000 + k, 200), normals(5000 + k, 200));
    expect(Math.abs(sum / 100 - 0.5)).toBeLessThan(0.1);
  });
});

describe('almostStochasticOrder (deepsig ASOSanityChecks)', () => {
  // Fewer scores and iterations than deepsig's tests (1000–2000, 500–1000) keep this file fast;
  // the tolerances are deepsig's.
  const fast = { bootstrapIterations: 200 };

  it('a far above b: ε_min ≈ 0 (within 0.01); the reverse ≈ 1', () => {
    const b = normals(7, 500);
    const a = normals(8, 500, 5, 0.1);
    expect(almostStochasticOrder(a, b, { seed: 1, ...fast })).toBeLessThanOrEqual(0.01);
    expect(almostStochasticOrder(b, a, { seed: 1, ...fast })).toBeGreaterThanOrEqual(0.99);
  });

  it('b = a + 1e-8 (b above everywhere): ε_min ≈ 1 (within 0.001)', () => {
    const a = normals(9, 500);
    expect(almostStochasticOrder(a, a.map((v) => v + 1e-8), { seed: 2, ...fast })).toBeGreaterThanOrEqual(0.999);
  });

  it('ε(a, b) ≈ 1 − ε(b, a) within 0.2, on deepsig test_symmetry\'s four pairs of normals', () => {
    const pairs = [[[0, 0.5], [0, 1]], [[-0.5, 0.1], [-0.6, 0.2]], [[0.5, 0.21], [0.7, 0.1]], [[0.1, 0.3], [0.2, 0.1]]];
    pairs.forEach(([[loc1, scale1], [loc2, scale2]], k) => {
      const a = normals(20 + k, 2000, loc1, scale1);
      const b = normals(40 + k, 2000, loc2, scale2);
      const ab = almostStochasticOrder(a, b, { seed: k, ...fast });
      const ba = almostStochasticOrder(b, a, { seed: k, ...fast });
      expect(Math.abs(ab - (1 - ba))).toBeLessThanOrEqual(0.2);
    });
  });

  it('ε_min grows with the confidence level (deepsig test_dependency_on_alpha)', () => {
    const a = normals(10, 500, 0.1);
    const b = normals(11, 500, 0, 2);
    const eps = [0.6, 0.7, 0.8, 0.9, 0.95, 0.99].map((confidenceLevel) => almostStochasticOrder(a, b, { seed: 6666, confidenceLevel, bootstrapIterations: 100 }));
    expect([...eps].sort((x, y) => x - y)).toEqual(eps);
    expect(eps[0]).toBeLessThan(eps[eps.length - 1]);
  });

  it('ε_min falls as the number of scores grows (deepsig test_dependency_on_samples)', () => {
    // deepsig shifts b by 1e-3; with bootstrap noise of order 1/√n that shift is invisible at
    // these sizes, so the shift here is 0.3 (a still dominates b at every quantile).
    const eps = [10, 100, 1000].map((n) => {
      const b = normals(12, n, 0, 1.1);
      return almostStochasticOrder(b.map((v) => v + 0.3), b, { seed: 7890, bootstrapIterations: 200 });
    });
    expect([...eps].sort((x, y) => y - x)).toEqual(eps);
    expect(eps[2]).toBeLessThan(0.05);
  });

  it('five seeds: a clearly better head gets ε_min 0, the baseline against it ≈ 1; identical seeds never claim dominance', () => {
    const head = [0.91, 0.92, 0.905, 0.915, 0.925];
    const base = [0.8, 0.81, 0.82, 0.805, 0.815];
    expect(almostStochasticOrder(head, base, { seed: 0 })).toBe(0);
    expect(almostStochasticOrder(base, head, { seed: 0 })).toBeGreaterThan(0.95);
    expect(almostStochasticOrder(head, [...head], { seed: 0 })).toBeGreaterThanOrEqual(0.5);
  });

  it('is seeded: same seed, same ε_min; another seed, another bootstrap', () => {
    const a = normals(13, 5, 0.2);
    const b = normals(14, 5);
    const first = almostStochasticOrder(a, b, { seed: 3 });
    expect(almostStochasticOrder(a, b, { seed: 3 })).toBe(first);
    expect(almostStochasticOrder(a, b, { seed: 4 })).not.toBe(first);
  });

  it('gives NaN below 2 scores on either side and rejects bad input (deepsig test_assertions)', () => {
    expect(almostStochasticOrder([0.9], [0.8, 0.7], { seed: 0 })).toBeNaN();
    expect(almostStochasticOrder([], [0.8, 0.7], { seed: 0 })).toBeNaN();
    expect(() => almostStochasticOrder([1, 2], [3, NaN], { seed: 0 })).toThrow('b[1]: NaN is not a finite number');
    expect(() => almostStochasticOrder([1, 2], [3, 4], { seed: 0, bootstrapIterations: 0 })).toThrow(MaxPoolBertError);
    expect(() => almostStochasticOrder([1, 2], [3, 4], { seed: 0, bootstrapIterations: -1 })).toThrow('bootstrapIterations: -1 is not a whole number ≥ 1');
    expect(() => almostStochasticOrder([1, 2], [3, 4], { seed: 0, confidenceLevel: 95 })).toThrow('confidenceLevel: 95 is not between 0 and 1');
  });
});
