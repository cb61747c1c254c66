/** Small helpers shared by every package's tests (no fixtures, no tfjs). */

/** Independent of src/random: a linear congruential generator, uniform in [-scale, scale). */
export function lcg(seed: number): (scale?: number) => number {
  let s = seed >>> 0;
  return (scale = 1) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 4294967296 * 2 - 1) * scale;
  };
}

/** `n` float32-representable numbers from `rand`. */
export function randomArray(n: number, rand: (scale?: number) => number, scale = 1): number[] {
  return Array.from({ length: n }, () => Math.fround(rand(scale)));
}

/** The rejection of a promise (or the throw of a function); fails the test when there is none. */
export async function errorOf(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error, but none was thrown');
}

/** Largest absolute difference between two equally shaped nested arrays (Infinity on mismatch or NaN). */
export function maxAbsDiff(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) || Number.isNaN(b) ? Infinity : Math.abs(a - b);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return Infinity;
    let m = 0;
    for (let i = 0; i < a.length; i++) m = Math.max(m, maxAbsDiff(a[i], b[i]));
    return m;
  }
  return Infinity;
}
