import { shuffleInPlace } from '../data/subset.js';
import { MaxPoolBertError } from '../errors.js';
import { SeededRng } from '../random/seeded-rng.js';

/**
 * A seeded random share of the documents (lines) held out for validation, before any
 * tokenization or grouping (as `run_mlm.py` splits its raw dataset, `validation_split_percentage`;
 * it takes the first lines, here they are drawn at random with `seed`, so a sorted file does not
 * give a validation set of one kind). Both parts keep the file order.
 */
export function splitHeldOut<T>(items: readonly T[], fraction: number, seed: number): { train: T[]; heldOut: T[] } {
  if (!(fraction >= 0 && fraction < 1)) throw new MaxPoolBertError(`the validation split must be in [0, 1), got ${fraction}`);
  if (fraction === 0) return { train: [...items], heldOut: [] };
  const n = Math.max(1, Math.round(items.length * fraction));
  if (items.length - n < 1) {
    throw new MaxPoolBertError(`${items.length} lines of text cannot be split into training and validation lines (--validation-split ${fraction}): give more text, or --validation-text FILE`);
  }
  const chosen = new Uint8Array(items.length);
  for (const i of shuffleInPlace(Array.from({ length: items.length }, (_, i) => i), new SeededRng(seed)).slice(0, n)) chosen[i] = 1;
  return { train: items.filter((_, i) => !chosen[i]), heldOut: items.filter((_, i) => chosen[i]) };
}
