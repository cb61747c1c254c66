/**
 * What every tokenizer with a token -> id vocabulary shares, whatever its algorithm: the added
 * tokens, the special tokens and their ids, id <-> token lookups, the encode pipeline (truncate,
 * add the special tokens, pad) and the id -> token half of `decode`. A family (WordPiece BERT,
 * byte-level BPE RoBERTa) adds how text becomes tokens (`tokenize`), where its special tokens go
 * (`numSpecialTokensToAdd`, `wrapWithSpecialTokens`) and how tokens become text (`detokenize`).
 */
import { inputError } from '../errors.js';
import { addedTokenPattern } from './added-tokens.js';
import { resolveEncodeOptions, type ResolvedEncodeOptions } from './encode-options.js';
import { assembleEncoding, padBatch, type SpecialTokenLayout } from './encode-pipeline.js';
import type { Tokenizer, TokenizerKind } from './tokenizer.js';
import type { DecodeOptions, EncodeOptions, Encoding, TextInput, VocabularyTokenizerOptions } from './types.js';
import type { Vocab } from './vocab.js';

/** A family's defaults for the shared settings. */
export interface VocabularyTokenizerDefaults {
  unkToken: string;
  sepToken: string;
  padToken: string;
  clsToken: string;
  maskToken: string;
  cleanUpTokenizationSpaces: boolean;
}

/** Which tokens, besides the shared special and added ones, are cut out of text whole. */
export interface VerbatimTokens {
  /** The family's own special tokens (RoBERTa's bos/eos), listed before the shared ones. */
  extraSpecialTokens?: readonly string[];
  /**
   * Whether a special token missing from the vocabulary is still cut out of text (and so becomes
   * the unknown id), as BERT does, rather than left to tokenize as text, as RoBERTa does.
   */
  keepMissingSpecialTokens: boolean;
}

export abstract class VocabularyTokenizer implements Tokenizer {
  abstract readonly kind: TokenizerKind;
  readonly modelMaxLength: number | undefined;
  readonly cleanUpTokenizationSpaces: boolean;
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
  /** Number of ids (highest id + 1, added tokens included): the embedding rows a model needs. */
  readonly vocabSize: number;

  protected readonly vocab: Vocab;
  /** Added tokens whose id is not (or not the same as) their vocabulary id. */
  private readonly addedIds = new Map<string, number>();
  private readonly addedById = new Map<number, string>();
  /** Ids dropped by `skipSpecialTokens`. */
  private readonly specialIds = new Set<number>();
  /** The special and added tokens cut out of text whole, wherever they appear. */
  protected readonly verbatimTokens: ReadonlySet<string>;
  /** Matches any of `verbatimTokens`; undefined when there are none. */
  protected readonly addedPattern: RegExp | undefined;

  /**
   * @param vocab the vocabulary
   * @param options the shared settings (`defaults` when left out)
   * @param file the vocabulary's file, named in error messages
   */
  protected constructor(
    vocab: Vocab,
    options: VocabularyTokenizerOptions,
    defaults: VocabularyTokenizerDefaults,
    file: string,
    verbatim: VerbatimTokens,
  ) {
    this.vocab = vocab;
    this.modelMaxLength = options.modelMaxLength;
    this.cleanUpTokenizationSpaces = options.cleanUpTokenizationSpaces ?? defaults.cleanUpTokenizationSpaces;
    this.unkToken = options.unkToken ?? defaults.unkToken;
    this.sepToken = options.sepToken ?? defaults.sepToken;
    this.padToken = options.padToken ?? defaults.padToken;
    this.clsToken = options.clsToken ?? defaults.clsToken;
    this.maskToken = options.maskToken === null ? undefined : (options.maskToken ?? defaults.maskToken);

    let size = vocab.size;
    for (const [i, added] of (options.addedTokens ?? []).entries()) {
      const id = added.id ?? vocab.tokenToId.get(added.content);
      if (id === undefined) {
        throw inputError(`added token ${JSON.stringify(added.content)} has no id and is not in the vocabulary`, {
          file,
          field: `added_tokens[${i}]`,
          fix: 'give the added token an id, or add it to the vocabulary',
        });
      }
      if (!Number.isInteger(id) || id < 0 || id >= 1 << 24) {
        throw inputError(`added token ${JSON.stringify(added.content)} has id ${JSON.stringify(id)}; ids must be integers from 0 to ${(1 << 24) - 1}`, {
          file,
          field: `added_tokens[${i}]`,
        });
      }
      if (vocab.tokenToId.get(added.content) !== id) {
        this.addedIds.set(added.content, id);
        this.addedById.set(id, added.content);
      }
      if (id + 1 > size) size = id + 1;
    }
    this.vocabSize = size;

    // The four tokens every input needs must resolve to ids; the mask token is optional.
    const need = (token: string, field: string): number => {
      const id = this.tokenToId(token);
      if (id === undefined) {
        throw inputError(`the vocabulary has no ${JSON.stringify(token)} token`, {
          file,
          field,
          fix: `use the vocabulary the model was trained with, or set ${field} in tokenizer_config.json to the token it uses`,
        });
      }
      return id;
    };
    this.unkId = need(this.unkToken, 'unk_token');
    this.sepId = need(this.sepToken, 'sep_token');
    this.padId = need(this.padToken, 'pad_token');
    this.clsId = need(this.clsToken, 'cls_token');
    this.maskId = this.maskToken === undefined ? undefined : this.tokenToId(this.maskToken);

    // HF cuts every added token (special tokens included) out of the text before tokenizing,
    // wherever it appears ("x[SEP]y" -> x, [SEP], y), and keeps it verbatim.
    const specials = [...(verbatim.extraSpecialTokens ?? []), this.unkToken, this.sepToken, this.padToken, this.clsToken];
    if (this.maskToken !== undefined) specials.push(this.maskToken);
    specials.push(...(options.additionalSpecialTokens ?? []));
    const tokens = new Set<string>();
    for (const token of specials) {
      const id = this.tokenToId(token);
      if (id !== undefined) this.specialIds.add(id);
      if (id !== undefined || verbatim.keepMissingSpecialTokens) tokens.add(token);
    }
    for (const token of options.addedTokens ?? []) {
      tokens.add(token.content);
      if (token.special !== false) {
        // Defined: the loop above checked every added token has an id.
        this.specialIds.add(this.tokenToId(token.content)!);
      }
    }
    tokens.delete('');
    this.verbatimTokens = tokens;
    this.addedPattern = addedTokenPattern(tokens);
  }

  /** The id of a token, or undefined when it is not in the vocabulary. */
  tokenToId(token: string): number | undefined {
    return this.addedIds.get(token) ?? this.vocab.tokenToId.get(token);
  }

  /** The token of an id, or undefined when no token has that id. */
  idToToken(id: number): string | undefined {
    return this.addedById.get(id) ?? this.vocab.idToToken[id];
  }

  /** Ids of tokens; unknown tokens map to the unknown token's id. */
  convertTokensToIds(tokens: readonly string[]): number[] {
    return tokens.map((token) => this.tokenToId(token) ?? this.unkId);
  }

  /** Tokens of ids; unknown ids map to the unknown token (as HF's `ids_to_tokens.get`). */
  convertIdsToTokens(ids: readonly number[]): string[] {
    return ids.map((id) => this.idToToken(id) ?? this.unkToken);
  }

  /** How many special tokens `encode` adds around one text (`pair` false) or a pair. */
  abstract numSpecialTokensToAdd(pair?: boolean): number;

  /** The tokens of a text, without the special tokens `encode` adds. Never throws. */
  abstract tokenize(text: string): string[];

  /**
   * Encodes a text, or a text pair, into model inputs with the family's special tokens, truncated
   * and padded as asked. Throws only for invalid options or a truncation that cannot fit (e.g.
   * `only_first` when the first text alone is too short to absorb the cut).
   */
  encode(text: string, textPair?: string | null, options: EncodeOptions = {}): Encoding {
    const opts = resolveEncodeOptions(options, this.modelMaxLength);
    return padBatch([this.encodeOne(text, textPair, opts)], opts, this.padId)[0]!;
  }

  /** Encodes many texts / pairs; `padding: 'longest'` pads all to the longest in the batch. */
  encodeBatch(inputs: readonly TextInput[], options: EncodeOptions = {}): Encoding[] {
    const opts = resolveEncodeOptions(options, this.modelMaxLength);
    const encodings = inputs.map((input) =>
      typeof input === 'string'
        ? this.encodeOne(input, undefined, opts)
        : this.encodeOne(input?.text, input?.textPair, opts),
    );
    return padBatch(encodings, opts, this.padId);
  }

  /** Ids back to text: their tokens (special ones left out when asked), then the family's `detokenize`. */
  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    const skip = options.skipSpecialTokens ?? false;
    const tokens: string[] = [];
    for (const id of ids) {
      if (skip && this.specialIds.has(id)) continue;
      tokens.push(this.idToToken(id) ?? this.unkToken);
    }
    return this.detokenize(tokens, options.cleanUpTokenizationSpaces ?? this.cleanUpTokenizationSpaces);
  }

  /** Text from tokens; `cleanUp`: re-attach punctuation and contractions ("a ." -> "a."). */
  protected abstract detokenize(tokens: readonly string[], cleanUp: boolean): string;

  /** Input ids and token type ids of (already truncated) content ids with the special tokens added. */
  protected abstract wrapWithSpecialTokens(
    first: readonly number[],
    second: readonly number[] | undefined,
  ): { inputIds: number[]; tokenTypeIds: number[] };

  private readonly layout: SpecialTokenLayout = {
    count: (pair) => this.numSpecialTokensToAdd(pair),
    wrap: (first, second) => this.wrapWithSpecialTokens(first, second),
  };

  private encodeOne(text: string, textPair: string | null | undefined, opts: ResolvedEncodeOptions): Encoding {
    const first = this.convertTokensToIds(this.tokenize(text));
    const second = textPair === undefined || textPair === null ? undefined : this.convertTokensToIds(this.tokenize(textPair));
    return assembleEncoding(first, second, opts, this.layout);
  }
}
