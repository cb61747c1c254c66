/** Settings of the byte-level BPE tokenizer, with Hugging Face's `RobertaTokenizer` defaults when left out. */
import type { VocabularyTokenizerOptions } from '../types.js';

/** Besides the shared settings: the prefix space and the bos/eos tokens (defaults "<s>", "</s>"). */
export interface ByteLevelBpeOptions extends VocabularyTokenizerOptions {
  /** Put a space before a text that does not start with whitespace, so its first word tokenizes like the others (default false). */
  addPrefixSpace?: boolean;
  bosToken?: string;
  eosToken?: string;
}
