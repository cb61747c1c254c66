import type { Encoding, EncodeOptions } from '../tokenizer/index.js';

/**
 * What masked-LM pre-training needs of a tokenizer (BertTokenizer has all of it): encoding with
 * the special tokens, the ids of [CLS], [SEP], [PAD] and [MASK], the vocabulary size (random
 * replacements are drawn from it) and the tokens of ids (whole-word masking reads the `##`
 * continuation prefix off them).
 */
export interface MlmTokenizer {
  /** 'wordpiece' (BERT) or another algorithm; whole-word masking needs WordPiece's `##` marks. */
  readonly kind?: string;
  encode(text: string, textPair?: string | null, options?: EncodeOptions): Encoding;
  readonly clsId: number;
  readonly sepId: number;
  readonly padId: number;
  readonly maskId: number | undefined;
  /** `len(tokenizer)` in Hugging Face: every id, added tokens included. */
  readonly vocabSize: number;
  convertIdsToTokens(ids: readonly number[]): string[];
}
