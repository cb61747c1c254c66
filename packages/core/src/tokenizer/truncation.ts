/**
 * Truncation of one sequence or a pair to fit `maxLength`, with Hugging Face's strategies and
 * HF's slow-tokenizer (`truncate_sequences`) semantics. Where HF would only log an error and
 * return a sequence longer than `maxLength`, we throw instead: a silently over-long input would
 * fail later, far from the cause.
 */
import { inputError } from '../errors.js';

export type TruncationStrategy = 'longest_first' | 'only_first' | 'only_second' | 'do_not_truncate';

export const TRUNCATION_STRATEGIES: readonly TruncationStrategy[] = [
  'longest_first',
  'only_first',
  'only_second',
  'do_not_truncate',
];

export interface TruncationRequest<T> {
  first: readonly T[];
  /** The second sequence of a pair; undefined for a single sequence. */
  second?: readonly T[];
  /** Total length allowed, special tokens included. */
  maxLength: number;
  /** How many special tokens will be added around the sequence(s) ([CLS] A [SEP] B [SEP] = 3). */
  specialTokens: number;
  strategy: TruncationStrategy;
}

export interface Truncated<T> {
  first: T[];
  second?: T[];
}

/** Cuts tokens off the end(s) so that content + special tokens fit `maxLength`. */
export function truncateSequences<T>(req: TruncationRequest<T>): Truncated<T> {
  const { first, second, maxLength, specialTokens, strategy } = req;
  const total = first.length + (second?.length ?? 0) + specialTokens;
  const toRemove = total - maxLength;
  if (strategy === 'do_not_truncate' || toRemove <= 0) {
    return { first: first.slice(), second: second?.slice() };
  }
  const fail = (problem: string, fix: string) => inputError(problem, { field: 'truncation', fix });
  const lengths = second ? `${first.length} + ${second.length} tokens` : `${first.length} tokens`;

  if (strategy === 'only_first' || (strategy === 'longest_first' && !second)) {
    // HF requires strictly more tokens than it removes: it never empties the sequence.
    if (first.length > toRemove) return { first: first.slice(0, first.length - toRemove), second: second?.slice() };
    throw fail(
      `${strategy}: cannot fit ${lengths} plus ${specialTokens} special tokens into maxLength ${maxLength} ` +
        `by removing ${toRemove} tokens from the first sequence, which has only ${first.length}`,
      second
        ? 'use truncation "longest_first" or "only_second", or a larger maxLength'
        : `use a maxLength larger than ${specialTokens}`,
    );
  }

  if (strategy === 'only_second') {
    if (!second) {
      throw fail(
        `only_second: the input is a single sequence of ${first.length} tokens that does not fit maxLength ${maxLength}`,
        'only_second truncates the second text of a pair; use "longest_first" or "only_first" for single texts',
      );
    }
    if (second.length > toRemove) return { first: first.slice(), second: second.slice(0, second.length - toRemove) };
    throw fail(
      `only_second: cannot fit ${lengths} plus ${specialTokens} special tokens into maxLength ${maxLength} ` +
        `by removing ${toRemove} tokens from the second sequence, which has only ${second.length}`,
      'use truncation "longest_first" or "only_first", or a larger maxLength',
    );
  }

  // longest_first on a pair. HF's slow tokenizer removes one token at a time from the longer
  // sequence, and from the second one when both are equally long. So after both are cut they
  // end equal, or the first is one longer. (The Rust fast tokenizer splits differently for odd
  // budgets; the goldens follow this slow behaviour.)
  if (maxLength < specialTokens) {
    throw fail(
      `longest_first: maxLength ${maxLength} is smaller than the ${specialTokens} special tokens a pair needs`,
      `use a maxLength of at least ${specialTokens}`,
    );
  }
  let a = first.length;
  let b = second!.length;
  let left = toRemove;
  // Closed form of the one-at-a-time loop: first shrink the longer one down to the other...
  const gap = Math.abs(a - b);
  const step = Math.min(gap, left);
  if (a > b) a -= step;
  else b -= step;
  left -= step;
  // ...then alternate, second first (equal lengths remove from the second).
  if (left > 0) {
    b -= Math.ceil(left / 2);
    a -= Math.floor(left / 2);
  }
  return { first: first.slice(0, a), second: second!.slice(0, b) };
}
