// Public API of the tokenizer: an exact port of Hugging Face's BertTokenizer.
export { BertTokenizer } from './bert-tokenizer.js';
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
export { loadTokenizer, TOKENIZER_JSON, TOKENIZER_CONFIG_JSON, VOCAB_TXT } from './load-tokenizer.js';
