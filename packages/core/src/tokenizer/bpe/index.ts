// Public API of the byte-level BPE tokenizer (GPT-2's algorithm, RoBERTa's layout).
export { ByteLevelBpeTokenizer } from './byte-level-bpe-tokenizer.js';
export type { ByteLevelBpeOptions } from './bpe-options.js';
export { parseBpeTokenizerConfig } from './bpe-config.js';
export { parseBpeTokenizerJson, type ParsedBpeTokenizerJson } from './bpe-tokenizer-json.js';
export { parseMergesText, mergesFromJson, rankMerges, type BpeMerge } from './merges.js';
export { BpeMerger } from './bpe-merger.js';
export { preTokenize, GPT2_PATTERN_SOURCE } from './pre-tokenize.js';
export { BYTE_TO_CHAR, CHAR_TO_BYTE, toByteLevel } from './byte-unicode.js';
