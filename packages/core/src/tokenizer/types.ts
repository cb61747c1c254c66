/** Public types of the tokenizers: their settings (shared and BERT's), encode/decode options and encoded output. */
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

/**
 * The settings every vocabulary-based tokenizer has (see VocabularyTokenizer): its special
 * tokens, added tokens and limits. Each family's options extend it; the defaults are the
 * family's (BERT's "[SEP]", RoBERTa's "</s>", ...).
 */
export interface VocabularyTokenizerOptions {
  unkToken?: string;
  /** The separator of the layout: BERT's `[CLS] A [SEP] B [SEP]`, RoBERTa's `<s> A </s></s> B </s>`. */
  sepToken?: string;
  padToken?: string;
  /** The start of the layout ("[CLS]", "<s>"). */
  clsToken?: string;
  /** null: the tokenizer has no mask token. RoBERTa's default "<mask>" has lstrip, as in RobertaTokenizer. */
  maskToken?: string | null;
  additionalSpecialTokens?: readonly string[];
  /**
   * Tokens matched verbatim in text, with their ids (and, for byte-level BPE, HF's lstrip/rstrip
   * flags: a later entry for the same token overrides an earlier one's, e.g. an
   * `added_tokens_decoder` entry for "<mask>" with lstrip false).
   */
  addedTokens?: readonly AddedToken[];
  /** The longest input the model accepts (HF `model_max_length`), when known. */
  modelMaxLength?: number;
  /** Default of `decode`'s clean-up (true for BERT; false for RoBERTa, as transformers' current default). */
  cleanUpTokenizationSpaces?: boolean;
}

/** Settings, with Hugging Face's defaults for `BertTokenizer` when left out. */
export interface BertTokenizerOptions extends VocabularyTokenizerOptions {
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
  maxInputCharsPerWord?: number;
  continuingSubwordPrefix?: string;
}
