import { inputError } from '../errors.js';
import { SeededRng } from '../random/seeded-rng.js';
import type { Example } from './example.js';
import { shuffleInPlace } from './subset.js';

export interface BatchOptions<T> {
  /** Shuffle with this seed (use a different seed per epoch). Without it the order is kept. */
  shuffleSeed?: number;
  /**
   * Group examples of similar length: within chunks of `bucketChunk` batches, sort by length,
   * cut into batches, then shuffle the order of all batches. Reduces padding.
   */
  lengthBucketing?: boolean;
  /** Length of an example for bucketing. Default: whitespace-separated words of text + textPair. */
  lengthOf?: (example: T) => number;
  /** Batches per bucketing chunk. Default 50. */
  bucketChunk?: number;
}

/** Whitespace word count of an example's text(s): a cheap stand-in for its token length. */
export function wordCount(example: Pick<Example, 'text' | 'textPair'>): number {
  const count = (s: string | undefined) => (s ? s.split(/\s+/).filter((w) => w.length > 0).length : 0);
  return count(example.text) + count(example.textPair);
}

/**
 * Splits examples into batches of indices (the last may be smaller). Every index appears exactly
 * once; the same seed always gives the same batches.
 */
export function makeBatches<T extends Pick<Example, 'text' | 'textPair'>>(
  examples: readonly T[],
  batchSize: number,
  options: BatchOptions<T> = {},
): number[][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw inputError(`batch size ${batchSize} is not a whole number >= 1`, { field: 'batchSize', fix: 'use e.g. 32' });
  }
  const chunkBatches = options.bucketChunk ?? 50;
  if (!Number.isInteger(chunkBatches) || chunkBatches < 1) {
    throw inputError(`bucketChunk ${chunkBatches} is not a whole number >= 1`, { field: 'bucketChunk', fix: 'use e.g. 50' });
  }
  const rng = options.shuffleSeed !== undefined ? new SeededRng(options.shuffleSeed) : null;
  const order = Array.from({ length: examples.length }, (_, i) => i);
  if (rng) shuffleInPlace(order, rng);

  const cut = (indices: number[], out: number[][]) => {
    for (let i = 0; i < indices.length; i += batchSize) out.push(indices.slice(i, i + batchSize));
  };
  const batches: number[][] = [];
  if (!options.lengthBucketing) {
    cut(order, batches);
    return batches;
  }
  const lengthOf = options.lengthOf ?? ((e: T) => wordCount(e));
  const lengths = examples.map((e) => lengthOf(e));
  const chunk = batchSize * chunkBatches;
  for (let start = 0; start < order.length; start += chunk) {
    // Stable sort keeps the shuffled order among equal lengths.
    const part = order.slice(start, start + chunk).sort((a, b) => lengths[a] - lengths[b]);
    cut(part, batches);
  }
  if (rng) shuffleInPlace(batches, rng);
  return batches;
}

/** Padding a set of batches costs: sum over batches of (longest * size - total length). */
export function paddingCost(batches: readonly number[][], lengths: readonly number[]): number {
  let pad = 0;
  for (const b of batches) {
    let max = 0;
    let sum = 0;
    for (const i of b) {
      max = Math.max(max, lengths[i]);
      sum += lengths[i];
    }
    pad += max * b.length - sum;
  }
  return pad;
}
