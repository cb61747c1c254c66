/**
 * An exact port of Hugging Face's `BertTokenizer` (the slow, Python one): tokenization, the
 * `[CLS] A [SEP] B [SEP]` layout, truncation, padding and decoding. Pure TypeScript, so it runs
 * unchanged in Node and in browsers. Its option and result types are in types.ts.
 */
import { inputError } from '../errors.js';
import { addedTokenPattern } from './added-tokens.js';
import { BasicTokenizer } from './basic-tokenizer.js';
import { tokensToText } from './decode.js';
import { resolveEncodeOptions, type ResolvedEncodeOptions } from './encode-options.js';
import { assembleEncoding, padBatch, type SpecialTokenLayout } from './encode-pipeline.js';
import { parseTokenizerConfig, type TokenizerConfigInput } from './tokenizer-config.js';
import { parseTokenizerJson } from './tokenizer-json.js';
import type { Tokenizer } from './tokenizer.js';
import type { BertTokenizerOptions, DecodeOptions, EncodeOptions, Encoding, TextInput } from './types.js';
import { whitespaceSplit } from './unicode.js';
import { parseVocabText, type Vocab } from './vocab.js';
import { WordPiece } from './wordpiece.js';

/** Words remembered by the per-word cache before it starts over. */
const WORD_CACHE_LIMIT = 100_000;

export class BertTokenizer implements Tokenizer {
  readonly kind = 'wordpiece' as const;
  /** Resolved settings (HF defaults filled in). */
  readonly doLowerCase: boolean;
  readonly stripAccents: boolean | null;
  readonly tokenizeChineseChars: boolean;
  readonly doBasicTokenize: boolean;
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

  private readonly vocab: Vocab;
  private readonly basic: BasicTokenizer;
  private readonly wordpiece: WordPiece;
  private readonly neverSplit: ReadonlySet<string>;
  /** Added tokens whose id is not (or not the same as) their vocabulary id. */
  private readonly addedIds = new Map<string, number>();
  private readonly addedById = new Map<number, string>();
  /** Ids dropped by `skipSpecialTokens`. */
  private readonly specialIds = new Set<number>();
  /** Tokens of each whitespace-delimited word seen (bounded; see tokenizePlain). */
  private readonly wordCache = new Map<string, readonly string[]>();
  /** Matches any added/special token; undefined when there are none. */
  private readonly addedPattern: RegExp | undefined;

  /**
   * @param vocab the WordPiece vocabulary
   * @param options settings (HF `BertTokenizer` defaults when left out)
   * @param file the vocabulary's file, named in error messages
   */
  constructor(vocab: Vocab, options: BertTokenizerOptions = {}, file = 'vocab.txt') {
    this.vocab = vocab;
    this.doLowerCase = options.doLowerCase ?? true;
    this.stripAccents = options.stripAccents ?? null;
    this.tokenizeChineseChars = options.tokenizeChineseChars ?? true;
    this.doBasicTokenize = options.doBasicTokenize ?? true;
    this.modelMaxLength = options.modelMaxLength;
    this.cleanUpTokenizationSpaces = options.cleanUpTokenizationSpaces ?? true;
    this.unkToken = options.unkToken ?? '[UNK]';
    this.sepToken = options.sepToken ?? '[SEP]';
    this.padToken = options.padToken ?? '[PAD]';
    this.clsToken = options.clsToken ?? '[CLS]';
    this.maskToken = options.maskToken === null ? undefined : (options.maskToken ?? '[MASK]');
    this.neverSplit = new Set(options.neverSplit ?? []);

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

    // The four tokens every BERT input needs must resolve to ids; [MASK] is optional.
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

    // HF cuts every added token (special tokens included) out of the text before the basic
    // tokenizer runs, wherever it appears ("x[SEP]y" -> x, [SEP], y), and keeps it verbatim.
    const specials = [this.unkToken, this.sepToken, this.padToken, this.clsToken];
    if (this.maskToken !== undefined) specials.push(this.maskToken);
    specials.push(...(options.additionalSpecialTokens ?? []));
    const added = new Set<string>(specials);
    for (const token of specials) {
      const id = this.tokenToId(token);
      if (id !== undefined) this.specialIds.add(id);
    }
    for (const token of options.addedTokens ?? []) {
      added.add(token.content);
      if (token.special !== false) {
        const id = this.tokenToId(token.content);
        if (id !== undefined) this.specialIds.add(id);
      }
    }
    added.delete('');
    this.addedPattern = addedTokenPattern(added);

    this.basic = new BasicTokenizer({
      doLowerCase: this.doLowerCase,
      stripAccents: this.stripAccents,
      tokenizeChineseChars: this.tokenizeChineseChars,
      cleanText: options.cleanText ?? true,
      // HF's BertTokenizer passes its special tokens as never_split too; they were cut out of
      // the text already, but a word equal to one must still not be lower-cased.
      neverSplit: [...this.neverSplit, ...added],
    });
    this.wordpiece = new WordPiece(vocab.tokenToId, {
      unkToken: this.unkToken,
      continuingSubwordPrefix: options.continuingSubwordPrefix,
      maxInputCharsPerWord: options.maxInputCharsPerWord,
    });
  }

  /**
   * From the text of a `vocab.txt` and, optionally, a `tokenizer_config.json` (its text or its
   * parsed object).
   */
  static fromVocabText(
    text: string,
    config?: TokenizerConfigInput,
    fileLabel = 'vocab.txt',
    configLabel = 'tokenizer_config.json',
  ): BertTokenizer {
    const options = config === undefined ? {} : parseTokenizerConfig(config, configLabel);
    return new BertTokenizer(parseVocabText(text, fileLabel), options, fileLabel);
  }

  /**
   * From a Hugging Face `tokenizer.json` (its text or its parsed object) of a WordPiece/BERT
   * tokenizer. A `tokenizer_config.json` given too overrides the settings it states, as
   * `BertTokenizerFast` does (e.g. `do_lower_case`, `model_max_length`).
   */
  static fromTokenizerJson(
    json: string | object,
    fileLabel = 'tokenizer.json',
    config?: TokenizerConfigInput,
    configLabel = 'tokenizer_config.json',
  ): BertTokenizer {
    const { vocab, options } = parseTokenizerJson(json, fileLabel);
    const overrides = config === undefined ? {} : parseTokenizerConfig(config, configLabel);
    return new BertTokenizer(vocab, { ...options, ...overrides }, fileLabel);
  }

  /** The id of a token, or undefined when it is not in the vocabulary. */
  tokenToId(token: string): number | undefined {
    return this.addedIds.get(token) ?? this.vocab.tokenToId.get(token);
  }

  /** The token of an id, or undefined when no token has that id. */
  idToToken(id: number): string | undefined {
    return this.addedById.get(id) ?? this.vocab.idToToken[id];
  }

  /** Ids of tokens; unknown tokens map to the [UNK] id. */
  convertTokensToIds(tokens: readonly string[]): number[] {
    return tokens.map((token) => this.tokenToId(token) ?? this.unkId);
  }

  /** Tokens of ids; unknown ids map to the [UNK] token (as HF's `ids_to_tokens.get`). */
  convertIdsToTokens(ids: readonly number[]): string[] {
    return ids.map((id) => this.idToToken(id) ?? this.unkToken);
  }

  /** How many special tokens `encode` adds: 2 for one text, 3 for a pair. */
  numSpecialTokensToAdd(pair = false): number {
    return pair ? 3 : 2;
  }

  /**
   * The WordPiece tokens of a text, without [CLS]/[SEP]. Special tokens written in the text
   * ("[SEP]", case-sensitive) come out as themselves. Never throws, whatever the string.
   */
  tokenize(text: string): string[] {
    // Defensive: callers from plain JS may pass null/undefined/numbers; treat them as text.
    const input = typeof text === 'string' ? text : String(text ?? '');
    const out: string[] = [];
    const pattern = this.addedPattern;
    if (!pattern) {
      this.tokenizePlain(input, out);
      return out;
    }
    pattern.lastIndex = 0;
    let last = 0;
    for (let m = pattern.exec(input); m !== null; m = pattern.exec(input)) {
      if (m.index > last) this.tokenizePlain(input.slice(last, m.index), out);
      out.push(m[0]);
      last = m.index + m[0].length;
    }
    if (last < input.length) this.tokenizePlain(input.slice(last), out);
    return out;
  }

  /** Text without added tokens: basic tokenizer, then WordPiece on each word. */
  private tokenizePlain(text: string, out: string[]): void {
    if (!this.doBasicTokenize) {
      for (const word of whitespaceSplit(text)) out.push(...this.wordpiece.tokenizeWord(word));
      return;
    }
    const cache = this.wordCache;
    for (const word of whitespaceSplit(this.basic.normalizeText(text))) {
      // Real text repeats words a lot, so the per-word work (case, accents, punctuation,
      // WordPiece) is cached by the word as it stands after the whole-text steps.
      let tokens = cache.get(word);
      if (tokens === undefined) {
        const list: string[] = [];
        for (const piece of this.basic.splitWord(word)) {
          // HF: never_split words skip WordPiece (and so may be out-of-vocabulary -> [UNK] id).
          if (this.neverSplit.has(piece)) list.push(piece);
          else for (const t of this.wordpiece.tokenizeWord(piece)) list.push(t);
        }
        if (cache.size >= WORD_CACHE_LIMIT) cache.clear();
        cache.set(word, list);
        tokens = list;
      }
      for (let i = 0; i < tokens.length; i++) out.push(tokens[i]!);
    }
  }

  /**
   * Encodes a text, or a text pair, into model inputs: `[CLS] A [SEP]` or `[CLS] A [SEP] B [SEP]`,
   * truncated and padded as asked. Throws only for invalid options or a truncation that cannot
   * fit (e.g. `only_first` when the first text alone is too short to absorb the cut).
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

  /**
   * Ids back to text, as HF: tokens joined by spaces, "##" continuations glued on, then
   * (by default) spaces before punctuation and contractions removed.
   */
  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    const skip = options.skipSpecialTokens ?? false;
    const tokens: string[] = [];
    for (const id of ids) {
      if (skip && this.specialIds.has(id)) continue;
      tokens.push(this.idToToken(id) ?? this.unkToken);
    }
    return tokensToText(tokens, this.wordpiece.prefix, options.cleanUpTokenizationSpaces ?? this.cleanUpTokenizationSpaces);
  }

  private encodeOne(text: string, textPair: string | null | undefined, opts: ResolvedEncodeOptions): Encoding {
    const first = this.convertTokensToIds(this.tokenize(text));
    const second = textPair === undefined || textPair === null ? undefined : this.convertTokensToIds(this.tokenize(textPair));
    return assembleEncoding(first, second, opts, this.layout);
  }

  /** BERT's layout: `[CLS] A [SEP]`, pairs `[CLS] A [SEP] B [SEP]` with type id 1 on `B [SEP]`. */
  private readonly layout: SpecialTokenLayout = {
    count: (pair) => this.numSpecialTokensToAdd(pair),
    wrap: (a, b) => {
      const inputIds = [this.clsId, ...a, this.sepId];
      const tokenTypeIds = new Array<number>(inputIds.length).fill(0);
      if (b) {
        for (const id of b) inputIds.push(id);
        inputIds.push(this.sepId);
        for (let i = tokenTypeIds.length; i < inputIds.length; i++) tokenTypeIds.push(1);
      }
      return { inputIds, tokenTypeIds };
    },
  };
}
