/** Settings of the byte-level BPE tokenizer, with Hugging Face's `RobertaTokenizer` defaults when left out. */
import type { AddedToken } from '../types.js';

export interface ByteLevelBpeOptions {
  /** Put a space before a text that does not start with whitespace, so its first word tokenizes like the others (default false). */
  addPrefixSpace?: boolean;
  bosToken?: string;
  eosToken?: string;
  unkToken?: string;
  /** Separator of the layout `<s> A </s></s> B </s>` (default "</s>"). */
  sepToken?: string;
  padToken?: string;
  /** Start of the layout (default "<s>"). */
  clsToken?: string;
  /** null: the tokenizer has no mask token. Default "<mask>", with lstrip as in RobertaTokenizer. */
  maskToken?: string | null;
  additionalSpecialTokens?: readonly string[];
  /**
   * Tokens matched verbatim in text, with their ids and HF's lstrip/rstrip flags. A later entry
   * for the same token overrides an earlier one's flags (e.g. an `added_tokens_decoder` entry for
   * "<mask>" with lstrip false).
   */
  addedTokens?: readonly AddedToken[];
  /** The longest input the model accepts (HF `model_max_length`), when known. */
  modelMaxLength?: number;
  /** Default of `decode`'s clean-up (default false, as transformers' current default for RoBERTa). */
  cleanUpTokenizationSpaces?: boolean;
}
