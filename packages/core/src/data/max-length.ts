import { inputError } from '../errors.js';
import type { Example } from './example.js';

/** [CLS], one token, [SEP]: below this a single text keeps none of its tokens. */
export const MIN_MAX_LENGTH = 3;
/** [CLS] a [SEP] b [SEP] with one token of each text: below this a pair loses a whole text. */
export const MIN_PAIR_MAX_LENGTH = 5;

/** The smallest max length that keeps at least one token of every text of an input. */
export function smallestMaxLength(pair: boolean): number {
  return pair ? MIN_PAIR_MAX_LENGTH : MIN_MAX_LENGTH;
}

/**
 * Checks that `maxLength` can hold a token of every text of every example. The tokenizer would
 * otherwise fail far from the cause (a single text) or silently drop a pair's second text; the
 * error names the file, the first example's line and the smallest usable value.
 */
export function checkMaxLength(examples: readonly Pick<Example, 'textPair' | 'line'>[], maxLength: number, file?: string): void {
  const tooShort = examples.find((e) => maxLength < smallestMaxLength(e.textPair !== undefined));
  if (!tooShort) return;
  const pair = tooShort.textPair !== undefined;
  const need = smallestMaxLength(pair);
  throw inputError(
    pair
      ? `max length ${maxLength} cannot hold a token of both texts of a pair ([CLS] A [SEP] B [SEP] takes 3)`
      : `max length ${maxLength} cannot hold any token of the text ([CLS] and [SEP] take 2)`,
    { file, field: `line ${tooShort.line}`, fix: `the smallest usable max length is ${need}` },
  );
}
