/**
 * An exact port of Hugging Face's `BertTokenizer` (the slow, Python one): tokenization, the
 * `[CLS] A [SEP] B [SEP]` layout, truncation, padding and decoding. Pure TypeScript, so it runs
 * unchanged in Node and in browsers. Its option and result types are in types.ts; what it shares
 * with the byte-level BPE tokenizer (special tokens, ids, the encode pipeline) is in
 * vocabulary-tokenizer.ts.
 */
import { BasicTokenizer } from './basic-tokenizer.js';
import { tokensToText } from './decode.js';
import { parseTokenizerConfig, type TokenizerConfigInput } from './tokenizer-config.js';
import { parseTokenizerJson } from './tokenizer-json.js';
import type { BertTokenizerOptions } from './types.js';
import { whitespaceSplit } from './unicode.js';
import { VocabularyTokenizer } from './vocabulary-tokenizer.js';
import { parseVocabText, type Vocab } from './vocab.js';
import { WordPiece } from './wordpiece.js';

/** Words remembered by the per-word cache before it starts over. */
const WORD_CACHE_LIMIT = 100_000;

/** HF `BertTokenizer`'s defaults for the shared settings. */
const BERT_DEFAULTS = {
  unkToken: '[UNK]',
  sepToken: '[SEP]',
  padToken: '[PAD]',
  clsToken: '[CLS]',
  maskToken: '[MASK]',
  cleanUpTokenizationSpaces: true,
};

export class BertTokenizer extends VocabularyTokenizer {
  readonly kind = 'wordpiece' as const;
  /** Resolved settings (HF defaults filled in). */
  readonly doLowerCase: boolean;
  readonly stripAccents: boolean | null;
  readonly tokenizeChineseChars: boolean;
  readonly doBasicTokenize: boolean;

  private readonly basic: BasicTokenizer;
  private readonly wordpiece: WordPiece;
  private readonly neverSplit: ReadonlySet<string>;
  /** Tokens of each whitespace-delimited word seen (bounded; see tokenizePlain). */
  private readonly wordCache = new Map<string, readonly string[]>();

  /**
   * @param vocab the WordPiece vocabulary
   * @param options settings (HF `BertTokenizer` defaults when left out)
   * @param file the vocabulary's file, named in error messages
   */
  constructor(vocab: Vocab, options: BertTokenizerOptions = {}, file = 'vocab.txt') {
    // A special token missing from the vocabulary is still cut out of the text (it becomes [UNK]).
    super(vocab, options, BERT_DEFAULTS, file, { keepMissingSpecialTokens: true });
    this.doLowerCase = options.doLowerCase ?? true;
    this.stripAccents = options.stripAccents ?? null;
    this.tokenizeChineseChars = options.tokenizeChineseChars ?? true;
    this.doBasicTokenize = options.doBasicTokenize ?? true;
    this.neverSplit = new Set(options.neverSplit ?? []);

    this.basic = new BasicTokenizer({
      doLowerCase: this.doLowerCase,
      stripAccents: this.stripAccents,
      tokenizeChineseChars: this.tokenizeChineseChars,
      cleanText: options.cleanText ?? true,
      // HF's BertTokenizer passes its special tokens as never_split too; they were cut out of
      // the text already, but a word equal to one must still not be lower-cased.
      neverSplit: [...this.neverSplit, ...this.verbatimTokens],
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

  /** How many special tokens `encode` adds: 2 for one text, 3 for a pair. */
  override numSpecialTokensToAdd(pair = false): number {
    return pair ? 3 : 2;
  }

  /**
   * The WordPiece tokens of a text, without [CLS]/[SEP]. Special tokens written in the text
   * ("[SEP]", case-sensitive) come out as themselves. Never throws, whatever the string.
   */
  override tokenize(text: string): string[] {
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
   * As HF: tokens joined by spaces, "##" continuations glued on, then (by default) spaces before
   * punctuation and contractions removed.
   */
  protected override detokenize(tokens: readonly string[], cleanUp: boolean): string {
    return tokensToText(tokens, this.wordpiece.prefix, cleanUp);
  }

  /** BERT's layout: `[CLS] A [SEP]`, pairs `[CLS] A [SEP] B [SEP]` with type id 1 on `B [SEP]`. */
  protected override wrapWithSpecialTokens(a: readonly number[], b: readonly number[] | undefined): { inputIds: number[]; tokenTypeIds: number[] } {
    const inputIds = [this.clsId, ...a, this.sepId];
    const tokenTypeIds = new Array<number>(inputIds.length).fill(0);
    if (b) {
      for (const id of b) inputIds.push(id);
      inputIds.push(this.sepId);
      for (let i = tokenTypeIds.length; i < inputIds.length; i++) tokenTypeIds.push(1);
    }
    return { inputIds, tokenTypeIds };
  }
}
