// Public API of the tokenizer: an exact port of Hugging Face's BertTokenizer.
export {
  BertTokenizer,
  cleanUpTokenization,
  type AddedToken,
  type BertTokenizerOptions,
  type DecodeOptions,
  type EncodeOptions,
  type Encoding,
  type PaddingStrategy,
  type TextInput,
  type TruncationStrategy,
} from './bert-tokenizer.js';
export { BasicTokenizer, type BasicTokenizerOptions } from './basic-tokenizer.js';
export { WordPiece, type WordPieceOptions } from './wordpiece.js';
export { parseVocabText, vocabFromObject, type Vocab } from './vocab.js';
export { truncateSequences, TRUNCATION_STRATEGIES, type TruncationRequest, type Truncated } from './truncation.js';
export { parseTokenizerConfig, type TokenizerConfigInput } from './tokenizer-config.js';
export { parseTokenizerJson, type ParsedTokenizerJson } from './tokenizer-json.js';
export { loadTokenizer, TOKENIZER_JSON, TOKENIZER_CONFIG_JSON, VOCAB_TXT } from './load-tokenizer.js';
