/**
 * What the rest of the toolkit needs from a tokenizer, whatever its algorithm: the WordPiece
 * `BertTokenizer` and the byte-level BPE `ByteLevelBpeTokenizer` (RoBERTa) both implement it.
 * Code that needs one kind's settings (BERT's lower-casing, BPE's prefix space) checks `kind`.
 */
import type { DecodeOptions, EncodeOptions, Encoding, TextInput } from './types.js';

export type TokenizerKind = 'wordpiece' | 'byte-level-bpe';

export interface Tokenizer {
  /** Which algorithm (and so which class) this is. */
  readonly kind: TokenizerKind;
  /** Number of ids (highest id + 1, added tokens included): the embedding rows a model needs. */
  readonly vocabSize: number;
  /** The longest input the model accepts (HF `model_max_length`), when known. */
  readonly modelMaxLength: number | undefined;
  /** Default of `decode`'s `cleanUpTokenizationSpaces`. */
  readonly cleanUpTokenizationSpaces: boolean;
  /** The special tokens: [CLS]/[SEP]/... for BERT, <s>/</s>/... for RoBERTa. */
  readonly unkToken: string;
  readonly sepToken: string;
  readonly padToken: string;
  readonly clsToken: string;
  readonly maskToken: string | undefined;
  readonly unkId: number;
  readonly sepId: number;
  readonly padId: number;
  readonly clsId: number;
  readonly maskId: number | undefined;

  /** The id of a token, or undefined when it is not in the vocabulary. */
  tokenToId(token: string): number | undefined;
  /** The token of an id, or undefined when no token has that id. */
  idToToken(id: number): string | undefined;
  /** Ids of tokens; unknown tokens map to the unknown token's id. */
  convertTokensToIds(tokens: readonly string[]): number[];
  /** Tokens of ids; unknown ids map to the unknown token. */
  convertIdsToTokens(ids: readonly number[]): string[];
  /** How many special tokens `encode` adds around one text (`pair` false) or a pair. */
  numSpecialTokensToAdd(pair?: boolean): number;
  /** The tokens of a text, without the special tokens `encode` adds. Never throws. */
  tokenize(text: string): string[];
  /** Model inputs for a text or a text pair, with special tokens, truncated and padded as asked. */
  encode(text: string, textPair?: string | null, options?: EncodeOptions): Encoding;
  /** Many texts / pairs; `padding: 'longest'` pads all to the longest in the batch. */
  encodeBatch(inputs: readonly TextInput[], options?: EncodeOptions): Encoding[];
  /** Ids back to text. */
  decode(ids: readonly number[], options?: DecodeOptions): string;
}
