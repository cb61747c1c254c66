import { inputError } from '../errors.js';

/**
 * Input checks shared by every test here. Scores are checked, never repaired: a NaN or an
 * Infinity means a run went wrong upstream, and a p-value computed around it would look valid.
 */
export function checkFinite(values: readonly number[], field: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw inputError(`${String(v)} is not a finite number`, { field: `${field}[${i}]`, fix: 'pass finite scores only' });
    }
  }
}

/** Paired samples: a[i] and b[i] are the same unit (e.g. the same seed), so the lengths must match. */
export function checkPaired(a: readonly number[], b: readonly number[]): void {
  if (a.length !== b.length) {
    throw inputError(`a has ${a.length} values but b has ${b.length}`, { field: 'paired samples', fix: 'pass one value per pair on both sides, a[i] paired with b[i]' });
  }
  checkFinite(a, 'a');
  checkFinite(b, 'b');
}

/** An option that must be a whole number ≥ 1 (resamples, bootstrap iterations). */
export function checkCount(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 1) throw inputError(`${String(value)} is not a whole number ≥ 1`, { field, fix: 'pass e.g. 1000' });
}

/** A probability strictly between 0 and 1 (confidence levels, alpha). */
export function checkProbability(value: number, field: string): void {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) throw inputError(`${String(value)} is not between 0 and 1`, { field, fix: 'pass e.g. 0.95 for a confidence level, 0.05 for alpha' });
}

/** The seed of a seeded procedure: any finite number (SeededRng reduces it to 32 bits). */
export function checkSeed(value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw inputError(`${String(value)} is not a finite number`, { field: 'seed', fix: 'pass an integer seed, e.g. 0' });
}
