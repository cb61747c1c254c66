/** Public types of the tokenizers: the BERT tokenizer's settings, encode/decode options and encoded output. */
import type { TruncationStrategy } from './truncation.js';

export type { TruncationStrategy } from './truncation.js';

/** Model inputs for one text or text pair. All three arrays have the same length. */
export interface Encoding {
  inputIds: number[];
  /** 0 for the first segment ([CLS] A [SEP]), 1 for the second (B [SEP]). */
  tokenTypeIds: number[];
  /** 1 for real tokens, 0 for padding. */
  attentionMask: number[];
}

export type PaddingStrategy = 'none' | 'longest' | 'max_length';

export interface EncodeOptions {
  /** Total length, special tokens included. Given alone, it turns on `longest_first` truncation. */
  maxLength?: number;
  /** Default: `longest_first` when `maxLength` is given, else `do_not_truncate`. */
  truncation?: TruncationStrategy;
  /** `longest` pads a batch to its longest member; `max_length` pads to `maxLength`. Default none. */
  padding?: PaddingStrategy;
  /** Add [CLS] and [SEP] (default true). */
  addSpecialTokens?: boolean;
}

/** One batch item: a text, or a text pair. */
export type TextInput = string | { text: string; textPair?: string };

export interface DecodeOptions {
  /** Leave out [CLS], [SEP], [PAD] etc. (default false, as in HF). */
  skipSpecialTokens?: boolean;
  /** Re-attach punctuation and contractions ("a ." -> "a."); default from the tokenizer config (true for BERT). */
  cleanUpTokenizationSpaces?: boolean;
}

/** A token that is matched verbatim in text and never split (HF's added tokens). */
export interface AddedToken {
  content: string;
  /** Its id; defaults to the token's vocabulary id. Ids past the vocabulary extend it. */
  id?: number;
  /** Special tokens are dropped by `decode(..., { skipSpecialTokens: true })`. Default true. */
  special?: boolean;
  /** HF's lstrip/rstrip: whitespace just before/after the token is dropped (byte-level BPE only; BERT drops it anyway). */
  lstrip?: boolean;
  rstrip?: boolean;
}

/** Settings, with Hugging Face's defaults for `BertTokenizer` when left out. */
export interface BertTokenizerOptions {
  doLowerCase?: boolean;
  /** null (default) follows `doLowerCase`; true/false forces accent stripping on/off. */
  stripAccents?: boolean | null;
  tokenizeChineseChars?: boolean;
  /** Drop control characters and map whitespace to spaces (default true). */
  cleanText?: boolean;
  /** Run the basic tokenizer before WordPiece (default true; false = WordPiece on whitespace-split text). */
  doBasicTokenize?: boolean;
  /**
   * Words passed through untouched. As in HF this only applies to whole whitespace-delimited
   * words, unlike special tokens, which are cut out of text wherever they appear.
   */
  neverSplit?: readonly string[];
  unkToken?: string;
  sepToken?: string;
  padToken?: string;
  clsToken?: string;
  /** null: the tokenizer has no mask token. */
  maskToken?: string | null;
  additionalSpecialTokens?: readonly string[];
  addedTokens?: readonly AddedToken[];
  /** The longest input the model accepts (HF `model_max_length`), when known. */
  modelMaxLength?: number;
  maxInputCharsPerWord?: number;
  continuingSubwordPrefix?: string;
  cleanUpTokenizationSpaces?: boolean;
}
