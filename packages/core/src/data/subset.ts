import { inputError } from '../errors.js';
import { SeededRng } from '../random/seeded-rng.js';
import type { Example } from './example.js';

export interface SubsetOptions {
  /**
   * Treat labels as regression values and stratify by quantile bins. Default: true when some
   * label is not an integer.
   */
  regression?: boolean;
  /** Number of quantile bins for regression. Default 5. */
  bins?: number;
}

/** Fisher–Yates shuffle in place with a seeded generator. */
export function shuffleInPlace<T>(items: T[], rng: SeededRng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
  return items;
}

/**
 * Indices of a seeded, label-stratified subset of `n` examples: each label (for regression, each
 * quantile bin) gets a share proportional to its size in the full set, rounded by largest
 * remainder; when n is at least the number of labels every label present keeps at least one
 * example. The same seed always gives the same indices, in an order shuffled by the seed. When n
 * is the size of the set or more, all indices are returned (shuffled).
 */
export function stratifiedSubsetIndices(examples: readonly Pick<Example, 'label'>[], n: number, seed: number, options: SubsetOptions = {}): number[] {
  if (!Number.isInteger(n) || n < 0) {
    throw inputError(`subset size ${n} is not a whole number >= 0`, { field: 'n', fix: 'give the number of examples to keep' });
  }
  const rng = new SeededRng(seed);
  const total = examples.length;
  if (n >= total) return shuffleInPlace(Array.from({ length: total }, (_, i) => i), rng);
  if (n === 0) return [];

  const strata = stratify(examples, options);
  const sizes = strata.map((s) => s.length);
  const counts = allocate(sizes, n);

  const chosen: number[] = [];
  strata.forEach((members, k) => {
    const pool = shuffleInPlace([...members], rng);
    for (let i = 0; i < counts[k]; i++) chosen.push(pool[i]);
  });
  return shuffleInPlace(chosen, rng);
}

/** A seeded, label-stratified subset of `n` examples (see `stratifiedSubsetIndices`). */
export function stratifiedSubset<T extends Pick<Example, 'label'>>(examples: readonly T[], n: number, seed: number, options: SubsetOptions = {}): T[] {
  return stratifiedSubsetIndices(examples, n, seed, options).map((i) => examples[i]);
}

/** Groups example indices by label (sorted by label) or, for regression, by quantile bin. */
function stratify(examples: readonly Pick<Example, 'label'>[], options: SubsetOptions): number[][] {
  const regression = options.regression ?? examples.some((e) => !Number.isInteger(e.label));
  if (!regression) {
    const byLabel = new Map<number, number[]>();
    examples.forEach((e, i) => {
      let list = byLabel.get(e.label);
      if (!list) byLabel.set(e.label, (list = []));
      list.push(i);
    });
    return [...byLabel.keys()].sort((a, b) => a - b).map((k) => byLabel.get(k)!);
  }
  const bins = options.bins ?? 5;
  if (!Number.isInteger(bins) || bins < 1) {
    throw inputError(`bins ${bins} is not a whole number >= 1`, { field: 'bins', fix: 'use e.g. 5 quantile bins' });
  }
  const order = examples.map((_, i) => i).sort((a, b) => examples[a].label - examples[b].label || a - b);
  const strata: number[][] = Array.from({ length: Math.min(bins, order.length) }, () => []);
  order.forEach((idx, rank) => strata[Math.floor((rank * strata.length) / order.length)].push(idx));
  return strata.filter((s) => s.length > 0);
}

/**
 * Splits n over strata of the given sizes in proportion (largest remainder, ties to the earlier
 * stratum); then, when n allows, every stratum gets at least one, taken from the strata most
 * above their exact share.
 */
export function allocate(sizes: number[], n: number): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((s) => (n * s) / total);
  const counts = exact.map(Math.floor);
  let left = n - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, k) => k).sort((a, b) => exact[b] - Math.floor(exact[b]) - (exact[a] - Math.floor(exact[a])) || a - b);
  for (const k of byRemainder) {
    if (left === 0) break;
    counts[k]++;
    left--;
  }
  if (n >= sizes.length) {
    for (let k = 0; k < sizes.length; k++) {
      if (counts[k] > 0 || sizes[k] === 0) continue;
      // Take one from the stratum with the largest surplus over its exact share that can spare it.
      let donor = -1;
      for (let j = 0; j < sizes.length; j++) {
        if (counts[j] <= 1) continue;
        if (donor < 0 || counts[j] - exact[j] > counts[donor] - exact[donor]) donor = j;
      }
      if (donor < 0) break;
      counts[donor]--;
      counts[k]++;
    }
  }
  return counts;
}
