/**
 * Byte-level BPE as in Hugging Face's `RobertaTokenizer` (the slow, Python one; GPT-2's
 * algorithm): GPT-2 pre-tokenisation, UTF-8 bytes as printable characters, rank-ordered merges;
 * RoBERTa's `<s> A </s>` / `<s> A </s></s> B </s>` layout with token type ids all 0; truncation,
 * padding and byte-level decoding. Pure TypeScript, so it runs unchanged in Node and browsers.
 *
 * Loaded from a `tokenizer.json` it still behaves as the slow tokenizer where the two differ in
 * corner cases: `add_prefix_space` adds one space to the whole text (the fast one adds it to each
 * stretch between special tokens), and non-special added tokens decode without spaces around
 * them (as the fast one does; the slow one puts spaces there).
 */
import { inputError } from '../../errors.js';
import { addedTokenPattern, isPythonSpace, splitOnAddedTokens } from '../added-tokens.js';
import { cleanUpTokenization } from '../decode.js';
import { resolveEncodeOptions, type ResolvedEncodeOptions } from '../encode-options.js';
import { assembleEncoding, padBatch, type SpecialTokenLayout } from '../encode-pipeline.js';
import { parseJsonObject, type TokenizerConfigInput } from '../tokenizer-config.js';
import type { Tokenizer } from '../tokenizer.js';
import type { DecodeOptions, EncodeOptions, Encoding, TextInput } from '../types.js';
import { vocabFromObject, type Vocab } from '../vocab.js';
import { parseBpeTokenizerConfig } from './bpe-config.js';
import type { ByteLevelBpeOptions } from './bpe-options.js';
import { BpeMerger } from './bpe-merger.js';
import { parseBpeTokenizerJson } from './bpe-tokenizer-json.js';
import { fromByteLevel, toByteLevel } from './byte-unicode.js';
import { parseMergesText, rankMerges, type BpeMerge } from './merges.js';
import { preTokenize } from './pre-tokenize.js';

/** Python's bytes.decode("utf-8", errors="replace"): U+FFFD for bad bytes, and a leading BOM kept (TextDecoder drops it by default). */
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

export class ByteLevelBpeTokenizer implements Tokenizer {
  readonly kind = 'byte-level-bpe' as const;
  /** Resolved settings (RobertaTokenizer defaults filled in). */
  readonly addPrefixSpace: boolean;
  readonly modelMaxLength: number | undefined;
  readonly cleanUpTokenizationSpaces: boolean;
  readonly bosToken: string;
  readonly eosToken: string;
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
  private readonly merger: BpeMerger;
  /** Added tokens whose id is not (or not the same as) their vocabulary id. */
  private readonly addedIds = new Map<string, number>();
  private readonly addedById = new Map<number, string>();
  /** lstrip/rstrip of each added token. */
  private readonly addedFlags = new Map<string, { lstrip?: boolean; rstrip?: boolean }>();
  /** Ids dropped by `skipSpecialTokens`. */
  private readonly specialIds = new Set<number>();
  /** Matches any added/special token; undefined when there are none. */
  private readonly addedPattern: RegExp | undefined;

  /**
   * @param vocab token -> id (vocab.json)
   * @param merges the merge list in priority order (merges.txt)
   * @param options settings (RobertaTokenizer defaults when left out)
   * @param files the vocabulary's and the merges' files, named in error messages
   */
  constructor(
    vocab: Vocab,
    merges: readonly BpeMerge[],
    options: ByteLevelBpeOptions = {},
    files: { vocab?: string; merges?: string } = {},
  ) {
    const vocabFile = files.vocab ?? 'vocab.json';
    this.vocab = vocab;
    this.merger = new BpeMerger(rankMerges(merges, vocab, files.merges ?? 'merges.txt', vocabFile));
    this.addPrefixSpace = options.addPrefixSpace ?? false;
    this.modelMaxLength = options.modelMaxLength;
    this.cleanUpTokenizationSpaces = options.cleanUpTokenizationSpaces ?? false;
    this.bosToken = options.bosToken ?? '<s>';
    this.eosToken = options.eosToken ?? '</s>';
    this.unkToken = options.unkToken ?? '<unk>';
    this.sepToken = options.sepToken ?? '</s>';
    this.padToken = options.padToken ?? '<pad>';
    this.clsToken = options.clsToken ?? '<s>';
    this.maskToken = options.maskToken === null ? undefined : (options.maskToken ?? '<mask>');

    // RobertaTokenizer makes a plain-string mask token lstrip ("a <mask>" -> "a", "<mask>"),
    // so that a masked word's space goes with the mask; the options' added tokens may override it.
    if (this.maskToken !== undefined) this.addedFlags.set(this.maskToken, { lstrip: true, rstrip: false });
    let size = vocab.size;
    for (const [i, added] of (options.addedTokens ?? []).entries()) {
      const id = added.id ?? vocab.tokenToId.get(added.content);
      if (id === undefined) {
        throw inputError(`added token ${JSON.stringify(added.content)} has no id and is not in the vocabulary`, {
          file: vocabFile,
          field: `added_tokens[${i}]`,
          fix: 'give the added token an id, or add it to the vocabulary',
        });
      }
      if (!Number.isInteger(id) || id < 0 || id >= 1 << 24) {
        throw inputError(`added token ${JSON.stringify(added.content)} has id ${JSON.stringify(id)}; ids must be integers from 0 to ${(1 << 24) - 1}`, {
          file: vocabFile,
          field: `added_tokens[${i}]`,
        });
      }
      if (vocab.tokenToId.get(added.content) !== id) {
        this.addedIds.set(added.content, id);
        this.addedById.set(id, added.content);
      }
      if (added.lstrip !== undefined || added.rstrip !== undefined) {
        this.addedFlags.set(added.content, { lstrip: added.lstrip === true, rstrip: added.rstrip === true });
      }
      if (id + 1 > size) size = id + 1;
    }
    this.vocabSize = size;

    const need = (token: string, field: string): number => {
      const id = this.tokenToId(token);
      if (id === undefined) {
        throw inputError(`the vocabulary has no ${JSON.stringify(token)} token`, {
          file: vocabFile,
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

    // Every special and added token is cut out of the text whole, wherever it appears.
    const specials = [this.bosToken, this.eosToken, this.unkToken, this.sepToken, this.padToken, this.clsToken];
    if (this.maskToken !== undefined) specials.push(this.maskToken);
    specials.push(...(options.additionalSpecialTokens ?? []));
    const verbatim = new Set<string>();
    for (const token of specials) {
      const id = this.tokenToId(token);
      // bos/eos/additional tokens missing from the vocabulary could never be encoded: skip them.
      if (id === undefined) continue;
      verbatim.add(token);
      this.specialIds.add(id);
    }
    for (const token of options.addedTokens ?? []) {
      verbatim.add(token.content);
      if (token.special !== false) this.specialIds.add(this.tokenToId(token.content)!);
    }
    verbatim.delete('');
    this.addedPattern = addedTokenPattern(verbatim);
  }

  /** From the texts of a `vocab.json` and a `merges.txt`, and optionally a `tokenizer_config.json`. */
  static fromVocabAndMerges(
    vocabJson: string | object,
    mergesText: string,
    config?: TokenizerConfigInput,
    labels: { vocab?: string; merges?: string; config?: string } = {},
  ): ByteLevelBpeTokenizer {
    const vocabFile = labels.vocab ?? 'vocab.json';
    const mergesFile = labels.merges ?? 'merges.txt';
    const vocab = vocabFromObject(parseJsonObject(vocabJson, vocabFile), vocabFile, '');
    const merges = parseMergesText(mergesText, mergesFile);
    const options = config === undefined ? {} : parseBpeTokenizerConfig(config, labels.config ?? 'tokenizer_config.json');
    return new ByteLevelBpeTokenizer(vocab, merges, options, { vocab: vocabFile, merges: mergesFile });
  }

  /**
   * From a Hugging Face `tokenizer.json` of a byte-level BPE tokenizer (RoBERTa's shape). A
   * `tokenizer_config.json` given too overrides the settings it states, as the fast tokenizer does.
   */
  static fromTokenizerJson(
    json: string | object,
    fileLabel = 'tokenizer.json',
    config?: TokenizerConfigInput,
    configLabel = 'tokenizer_config.json',
  ): ByteLevelBpeTokenizer {
    const { vocab, merges, options } = parseBpeTokenizerJson(json, fileLabel);
    const overrides = config === undefined ? {} : parseBpeTokenizerConfig(config, configLabel);
    const addedTokens = [...(options.addedTokens ?? []), ...(overrides.addedTokens ?? [])];
    return new ByteLevelBpeTokenizer(vocab, merges, { ...options, ...overrides, addedTokens }, { vocab: fileLabel, merges: fileLabel });
  }

  tokenToId(token: string): number | undefined {
    return this.addedIds.get(token) ?? this.vocab.tokenToId.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.addedById.get(id) ?? this.vocab.idToToken[id];
  }

  convertTokensToIds(tokens: readonly string[]): number[] {
    return tokens.map((token) => this.tokenToId(token) ?? this.unkId);
  }

  convertIdsToTokens(ids: readonly number[]): string[] {
    return ids.map((id) => this.idToToken(id) ?? this.unkToken);
  }

  /** 2 for one text (`<s> A </s>`), 4 for a pair (`<s> A </s></s> B </s>`). */
  numSpecialTokensToAdd(pair = false): number {
    return pair ? 4 : 2;
  }

  /**
   * The BPE tokens of a text (byte-level strings such as "Ġworld"), without `<s>`/`</s>`.
   * Special and added tokens written in the text come out whole. Never throws, whatever the string.
   */
  tokenize(text: string): string[] {
    let input = typeof text === 'string' ? text : String(text ?? '');
    // RobertaTokenizer.prepare_for_tokenization: on the whole text, before added tokens are cut out.
    if (this.addPrefixSpace && input.length > 0 && !isPythonSpace(input[0]!)) input = ' ' + input;
    const out: string[] = [];
    for (const segment of splitOnAddedTokens(input, this.addedPattern, this.addedFlags)) {
      if (segment.added) {
        out.push(segment.text);
        continue;
      }
      for (const piece of preTokenize(segment.text)) {
        const tokens = this.merger.apply(toByteLevel(piece));
        for (let i = 0; i < tokens.length; i++) out.push(tokens[i]!);
      }
    }
    return out;
  }

  encode(text: string, textPair?: string | null, options: EncodeOptions = {}): Encoding {
    const opts = resolveEncodeOptions(options, this.modelMaxLength);
    return padBatch([this.encodeOne(text, textPair, opts)], opts, this.padId)[0]!;
  }

  encodeBatch(inputs: readonly TextInput[], options: EncodeOptions = {}): Encoding[] {
    const opts = resolveEncodeOptions(options, this.modelMaxLength);
    const encodings = inputs.map((input) =>
      typeof input === 'string' ? this.encodeOne(input, undefined, opts) : this.encodeOne(input?.text, input?.textPair, opts),
    );
    return padBatch(encodings, opts, this.padId);
  }

  /**
   * Ids back to text: the tokens' bytes concatenated and read as UTF-8 (invalid sequences become
   * U+FFFD, as with errors="replace"). Special tokens stay in as written ("<s>Hello</s>") unless
   * `skipSpecialTokens`.
   */
  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    const skip = options.skipSpecialTokens ?? false;
    const bytes: number[] = [];
    for (const id of ids) {
      if (skip && this.specialIds.has(id)) continue;
      fromByteLevel(this.idToToken(id) ?? this.unkToken, bytes);
    }
    const text = UTF8.decode(new Uint8Array(bytes));
    return (options.cleanUpTokenizationSpaces ?? this.cleanUpTokenizationSpaces) ? cleanUpTokenization(text) : text;
  }

  private encodeOne(text: string, textPair: string | null | undefined, opts: ResolvedEncodeOptions): Encoding {
    const first = this.convertTokensToIds(this.tokenize(text));
    const second = textPair === undefined || textPair === null ? undefined : this.convertTokensToIds(this.tokenize(textPair));
    return assembleEncoding(first, second, opts, this.layout);
  }

  /** RoBERTa's layout; `create_token_type_ids_from_sequences` gives 0 everywhere. */
  private readonly layout: SpecialTokenLayout = {
    count: (pair) => this.numSpecialTokensToAdd(pair),
    wrap: (a, b) => {
      const inputIds = [this.clsId, ...a, this.sepId];
      if (b) {
        inputIds.push(this.sepId);
        for (const id of b) inputIds.push(id);
        inputIds.push(this.sepId);
      }
      return { inputIds, tokenTypeIds: new Array<number>(inputIds.length).fill(0) };
    },
  };
}
