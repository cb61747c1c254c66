/**
 * The steps of `encode` that do not depend on the tokenizer's algorithm: truncating the ids of
 * one text or a pair to fit, adding the model's special tokens (its layout), and padding a batch.
 */
import { padEncoding, type ResolvedEncodeOptions } from './encode-options.js';
import { truncateSequences } from './truncation.js';
import type { Encoding } from './types.js';

/** Where a model's special tokens go: BERT's `[CLS] A [SEP] B [SEP]`, RoBERTa's `<s> A </s></s> B </s>`. */
export interface SpecialTokenLayout {
  /** How many special tokens surround one text (`pair` false) or a pair. */
  count(pair: boolean): number;
  /** Input ids and token type ids of the (already truncated) id sequences with the special tokens added. */
  wrap(first: readonly number[], second: readonly number[] | undefined): { inputIds: number[]; tokenTypeIds: number[] };
}

/**
 * One encoding from the content ids of a text (and its pair): truncated with `opts`, wrapped in
 * the layout's special tokens, unpadded. As in HF, an empty second text is still a second
 * segment; only `second === undefined` means a single sequence.
 */
export function assembleEncoding(
  first: readonly number[],
  second: readonly number[] | undefined,
  opts: ResolvedEncodeOptions,
  layout: SpecialTokenLayout,
): Encoding {
  const specials = opts.addSpecialTokens ? layout.count(second !== undefined) : 0;
  const cut =
    opts.maxLength === undefined
      ? { first, second }
      : truncateSequences({ first, second, maxLength: opts.maxLength, specialTokens: specials, strategy: opts.truncation });
  if (!opts.addSpecialTokens) {
    // HF's slow tokenizers give the second segment type id 0 too when no special tokens are
    // added (token_type_ids = [0] * (len(a) + len(b))).
    const inputIds = cut.second ? cut.first.concat(cut.second) : cut.first.slice();
    return { inputIds, tokenTypeIds: new Array<number>(inputIds.length).fill(0), attentionMask: new Array<number>(inputIds.length).fill(1) };
  }
  const { inputIds, tokenTypeIds } = layout.wrap(cut.first, cut.second);
  return { inputIds, tokenTypeIds, attentionMask: new Array<number>(inputIds.length).fill(1) };
}

/** Pads encodings in place as `opts.padding` asks: to `maxLength`, to the batch's longest, or not. */
export function padBatch(encodings: Encoding[], opts: ResolvedEncodeOptions, padId: number): Encoding[] {
  let target: number | undefined;
  if (opts.padding === 'max_length') target = opts.maxLength!;
  else if (opts.padding === 'longest') target = encodings.reduce((m, e) => Math.max(m, e.inputIds.length), 0);
  if (target !== undefined) for (const encoding of encodings) padEncoding(encoding, target, padId);
  return encodings;
}
