// Public API of the tokenizers: exact ports of Hugging Face's BertTokenizer (WordPiece) and
// RobertaTokenizer (byte-level BPE), both behind the `Tokenizer` interface.
export type { Tokenizer, TokenizerKind } from './tokenizer.js';
export { BertTokenizer } from './bert-tokenizer.js';
export * from './bpe/index.js';
export { cleanUpTokenization } from './decode.js';
export type {
  AddedToken,
  BertTokenizerOptions,
  DecodeOptions,
  EncodeOptions,
  Encoding,
  PaddingStrategy,
  TextInput,
  TruncationStrategy,
} from './types.js';
export { BasicTokenizer, type BasicTokenizerOptions } from './basic-tokenizer.js';
export { WordPiece, type WordPieceOptions } from './wordpiece.js';
export { parseVocabText, vocabFromObject, type Vocab } from './vocab.js';
export { truncateSequences, TRUNCATION_STRATEGIES, type TruncationRequest, type Truncated } from './truncation.js';
export { parseTokenizerConfig, type TokenizerConfigInput } from './tokenizer-config.js';
export { parseTokenizerJson, type ParsedTokenizerJson } from './tokenizer-json.js';
export { loadTokenizer, MERGES_TXT, TOKENIZER_JSON, TOKENIZER_CONFIG_JSON, VOCAB_JSON, VOCAB_TXT } from './load-tokenizer.js';
