import { inputError, MaxPoolBertError } from '../errors.js';
import type { MlmTokenizer } from './mlm-tokenizer.js';
import type { TextLine } from './text-lines.js';

/**
 * One pre-training example: token ids and which of them are special (never masked, never
 * predicted). Token types are all 0 (single sentences), as in `run_mlm.py`.
 */
export interface MlmExample {
  inputIds: number[];
  /** 1 where the token is [CLS], [SEP], [PAD] or [MASK]: `special_tokens_mask`. */
  special: Uint8Array;
}

/**
 * Lines per `datasets.map(batched=True)` call in `run_mlm.py` (the library's default batch
 * size): each group of 1000 lines is concatenated and cut into blocks on its own, so each group
 * drops its own remainder. Kept, so that the same corpus gives the same blocks as Hugging Face.
 */
export const GROUP_TEXTS_LINES = 1000;

function specialIds(tokenizer: MlmTokenizer): Set<number> {
  const ids = new Set([tokenizer.clsId, tokenizer.sepId, tokenizer.padId]);
  if (tokenizer.maskId !== undefined) ids.add(tokenizer.maskId);
  return ids;
}

/**
 * The special-tokens mask of an encoding. Hugging Face's fast tokenizer (what `run_mlm.py`
 * uses) marks the [CLS]/[SEP] it adds; a [CLS], [SEP], [PAD] or [MASK] written in the text is
 * marked too here (predicting a literal "[MASK]" teaches nothing). [UNK] is not special, as in
 * the fast tokenizer's mask: unknown words are masked and predicted like any other token.
 */
function specialMask(ids: readonly number[], special: ReadonlySet<number>): Uint8Array {
  const mask = new Uint8Array(ids.length);
  for (let i = 0; i < ids.length; i++) if (special.has(ids[i]!)) mask[i] = 1;
  return mask;
}

/**
 * `run_mlm.py`'s default mode (`tokenize_function` + `group_texts`): every line is encoded
 * WITH its special tokens (`[CLS] line [SEP]`), untruncated; the encodings of each group of
 * {@link GROUP_TEXTS_LINES} lines are concatenated and cut into blocks of exactly `maxLength`
 * tokens, and the group's remainder (shorter than a block) is dropped. So a block starts
 * wherever the cut falls, holds the [CLS]/[SEP] of every line in it, and needs no padding.
 */
export function groupTexts(tokenizer: MlmTokenizer, lines: readonly TextLine[], maxLength: number, file?: string): MlmExample[] {
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new MaxPoolBertError(`maxLength must be an integer >= 1, got ${maxLength}`);
  const special = specialIds(tokenizer);
  const blocks: MlmExample[] = [];
  let tokens = 0;
  for (let start = 0; start < lines.length; start += GROUP_TEXTS_LINES) {
    const ids: number[] = [];
    for (const line of lines.slice(start, start + GROUP_TEXTS_LINES)) {
      for (const id of tokenizer.encode(line.text).inputIds) ids.push(id);
    }
    tokens += ids.length;
    const usable = Math.floor(ids.length / maxLength) * maxLength;
    for (let i = 0; i < usable; i += maxLength) {
      const inputIds = ids.slice(i, i + maxLength);
      blocks.push({ inputIds, special: specialMask(inputIds, special) });
    }
  }
  if (lines.length > 0 && blocks.length === 0) {
    throw inputError(`the text holds ${tokens} tokens, fewer than one block of --max-length ${maxLength}`, {
      file, fix: 'give more text, a smaller --max-length, or --line-by-line',
    });
  }
  return blocks;
}

/**
 * `run_mlm.py --line_by_line`: each line is one example, `[CLS] line [SEP]` truncated to
 * `maxLength` tokens (padded per batch later, by the masking collator).
 */
export function lineByLine(tokenizer: MlmTokenizer, lines: readonly TextLine[], maxLength: number): MlmExample[] {
  if (!Number.isInteger(maxLength) || maxLength < 3) throw new MaxPoolBertError(`maxLength must be an integer >= 3 ([CLS], a token, [SEP]), got ${maxLength}`);
  const special = specialIds(tokenizer);
  return lines.map((line) => {
    const inputIds = tokenizer.encode(line.text, null, { maxLength }).inputIds;
    return { inputIds, special: specialMask(inputIds, special) };
  });
}
