// SeededRng: reproducibility (it must stay mulberry32 so `init --seed` gives the same weights
// everywhere), distributions, and exact resumption from a saved state.
import { SeededRng } from '../../src/random/seeded-rng.js';

/** The published mulberry32 (Tommy Ettinger), as commonly written in JS. */
function mulberry32(a: number): () => number {
  return () => {
    let t = (a += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const draws = (rng: SeededRng, n: number) => Array.from({ length: n }, () => rng.next());

describe('SeededRng', () => {
  it('is the mulberry32 sequence', () => {
    for (const seed of [0, 1, 42, 123456789, 0xffffffff]) {
      const ref = mulberry32(seed);
      const rng = new SeededRng(seed);
      const expected = Array.from({ length: 1000 }, ref);
      expect(draws(rng, 1000)).toEqual(expected);
    }
  });

  it('is deterministic per seed and differs across seeds', () => {
    expect(draws(new SeededRng(7), 500)).toEqual(draws(new SeededRng(7), 500));
    const a = draws(new SeededRng(7), 50);
    const b = draws(new SeededRng(8), 50);
    expect(a.filter((v, i) => v === b[i])).toEqual([]);
    const n1 = Array.from({ length: 100 }, ((r) => () => r.normal())(new SeededRng(3)));
    const n2 = Array.from({ length: 100 }, ((r) => () => r.normal())(new SeededRng(3)));
    expect(n1).toEqual(n2);
  });

  it('reduces seeds to 32 bits (so -1 and 2^32-1 are the same seed)', () => {
    expect(draws(new SeededRng(-1), 20)).toEqual(draws(new SeededRng(0xffffffff), 20));
    expect(draws(new SeededRng(2 ** 32 + 5), 20)).toEqual(draws(new SeededRng(5), 20));
  });

  it('next() is uniform in [0, 1)', () => {
    const rng = new SeededRng(2024);
    const N = 100_000;
    const bins = new Array<number>(10).fill(0);
    let sum = 0;
    let sumSq = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < N; i++) {
      const u = rng.next();
      min = Math.min(min, u);
      max = Math.max(max, u);
      sum += u;
      sumSq += u * u;
      bins[Math.floor(u * 10)]!++;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    const mean = sum / N;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(sumSq / N - mean * mean - 1 / 12)).toBeLessThan(0.002);
    // Chi-square with 9 degrees of freedom; 27.9 is its 0.999 quantile.
    const chi2 = bins.reduce((a, c) => a + (c - N / 10) ** 2 / (N / 10), 0);
    expect(chi2).toBeLessThan(27.9);
  });

  it('normal() has mean 0, variance 1 and normal tails (N = 100k)', () => {
    const rng = new SeededRng(99);
    const N = 100_000;
    let sum = 0;
    let sumSq = 0;
    let sum4 = 0;
    let within1 = 0;
    let within2 = 0;
    let nonFinite = 0;
    for (let i = 0; i < N; i++) {
      const z = rng.normal();
      if (!Number.isFinite(z)) nonFinite++;
      sum += z;
      sumSq += z * z;
      sum4 += z ** 4;
      if (Math.abs(z) < 1) within1++;
      if (Math.abs(z) < 2) within2++;
    }
    expect(nonFinite).toBe(0);
    const mean = sum / N;
    const variance = sumSq / N - mean * mean;
    expect(Math.abs(mean)).toBeLessThan(0.015); // std error 0.0032
    expect(Math.abs(variance - 1)).toBeLessThan(0.025); // std error 0.0045
    expect(Math.abs(sum4 / N - 3)).toBeLessThan(0.1); // kurtosis of a normal
    expect(Math.abs(within1 / N - 0.682689)).toBeLessThan(0.008);
    expect(Math.abs(within2 / N - 0.954500)).toBeLessThan(0.005);
  });

  it('fillNormal scales and shifts the draws', () => {
    const out = new SeededRng(5).fillNormal(new Float32Array(50_000), 3, 0.5);
    let sum = 0;
    let sumSq = 0;
    for (const v of out) {
      sum += v;
      sumSq += v * v;
    }
    const mean = sum / out.length;
    expect(Math.abs(mean - 3)).toBeLessThan(0.02);
    expect(Math.abs(Math.sqrt(sumSq / out.length - mean * mean) - 0.5)).toBeLessThan(0.01);
    // The same draws as normal() would give, shifted and scaled (in float32).
    const rng = new SeededRng(5);
    for (let i = 0; i < 100; i++) expect(out[i]).toBe(Math.fround(3 + 0.5 * rng.normal()));
  });

  it('getState/setState resumes exactly, including a pending spare normal', () => {
    const rng = new SeededRng(31337);
    draws(rng, 3);
    rng.normal(); // leaves the second Box–Muller value pending
    const saved = rng.getState();
    expect(saved.spareNormal).not.toBeNull();
    const sequence = (r: SeededRng) => [r.normal(), r.normal(), r.next(), r.nextSeed(), r.normal(), r.normal(), r.normal()];
    const expected = sequence(rng);

    // A fresh generator with another seed, restored from a JSON round trip of the state.
    const other = new SeededRng(1);
    other.setState(JSON.parse(JSON.stringify(saved)) as ReturnType<SeededRng['getState']>);
    expect(sequence(other)).toEqual(expected);

    // The same instance, rewound.
    rng.setState(saved);
    expect(sequence(rng)).toEqual(expected);
  });

  it('getState with no pending normal, and the state is a snapshot', () => {
    const rng = new SeededRng(4);
    rng.normal();
    rng.normal(); // consumed the spare
    const saved = rng.getState();
    expect(saved.spareNormal).toBeNull();
    expect(Number.isInteger(saved.state) && saved.state >= 0 && saved.state < 2 ** 32).toBe(true);
    const next = draws(rng, 10);
    expect(rng.getState()).not.toEqual(saved); // advancing does not change the saved copy
    const resumed = new SeededRng(0);
    resumed.setState(saved);
    expect(draws(resumed, 10)).toEqual(next);
  });

  it('nextSeed is an unsigned 32-bit integer, using the full range', () => {
    const rng = new SeededRng(77);
    let high = 0;
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const s = rng.nextSeed();
      if (!(Number.isInteger(s) && s >= 0 && s <= 0xffffffff)) throw new Error(`bad seed ${s}`);
      if (s >= 2 ** 31) high++;
      seen.add(s);
    }
    expect(Math.abs(high / 10_000 - 0.5)).toBeLessThan(0.03); // the top bit is used (unsigned, not signed)
    expect(seen.size).toBeGreaterThan(9_990);
    // It is the next uniform scaled to 32 bits.
    const a = new SeededRng(12);
    const b = new SeededRng(12);
    for (let i = 0; i < 100; i++) expect(a.nextSeed()).toBe(Math.floor(b.next() * 2 ** 32));
  });
});
