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
import { isPythonSpace, splitOnAddedTokens } from '../added-tokens.js';
import { cleanUpTokenization } from '../decode.js';
import { parseJsonObject, type TokenizerConfigInput } from '../tokenizer-config.js';
import { VocabularyTokenizer } from '../vocabulary-tokenizer.js';
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

/** HF `RobertaTokenizer`'s defaults for the shared settings. */
const ROBERTA_DEFAULTS = {
  unkToken: '<unk>',
  sepToken: '</s>',
  padToken: '<pad>',
  clsToken: '<s>',
  maskToken: '<mask>',
  cleanUpTokenizationSpaces: false,
};

export class ByteLevelBpeTokenizer extends VocabularyTokenizer {
  readonly kind = 'byte-level-bpe' as const;
  /** Resolved settings (RobertaTokenizer defaults filled in). */
  readonly addPrefixSpace: boolean;
  readonly bosToken: string;
  readonly eosToken: string;

  private readonly merger: BpeMerger;
  /** lstrip/rstrip of each added token. */
  private readonly addedFlags = new Map<string, { lstrip?: boolean; rstrip?: boolean }>();

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
    // Ranked first, so that a bad merge list is reported before any problem with the tokens.
    const merger = new BpeMerger(rankMerges(merges, vocab, files.merges ?? 'merges.txt', vocabFile));
    const bosToken = options.bosToken ?? '<s>';
    const eosToken = options.eosToken ?? '</s>';
    // bos/eos/additional tokens missing from the vocabulary could never be encoded: not cut out.
    super(vocab, options, ROBERTA_DEFAULTS, vocabFile, { extraSpecialTokens: [bosToken, eosToken], keepMissingSpecialTokens: false });
    this.merger = merger;
    this.addPrefixSpace = options.addPrefixSpace ?? false;
    this.bosToken = bosToken;
    this.eosToken = eosToken;

    // RobertaTokenizer makes a plain-string mask token lstrip ("a <mask>" -> "a", "<mask>"),
    // so that a masked word's space goes with the mask; the options' added tokens may override it.
    if (this.maskToken !== undefined) this.addedFlags.set(this.maskToken, { lstrip: true, rstrip: false });
    for (const added of options.addedTokens ?? []) {
      if (added.lstrip !== undefined || added.rstrip !== undefined) {
        this.addedFlags.set(added.content, { lstrip: added.lstrip === true, rstrip: added.rstrip === true });
      }
    }
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

  /** 2 for one text (`<s> A </s>`), 4 for a pair (`<s> A </s></s> B </s>`). */
  override numSpecialTokensToAdd(pair = false): number {
    return pair ? 4 : 2;
  }

  /**
   * The BPE tokens of a text (byte-level strings such as "Ġworld"), without `<s>`/`</s>`.
   * Special and added tokens written in the text come out whole. Never throws, whatever the string.
   */
  override tokenize(text: string): string[] {
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

  /**
   * The tokens' bytes concatenated and read as UTF-8 (invalid sequences become U+FFFD, as with
   * errors="replace"). Special tokens stay in as written ("<s>Hello</s>") unless `decode` is
   * asked to skip them.
   */
  protected override detokenize(tokens: readonly string[], cleanUp: boolean): string {
    const bytes: number[] = [];
    for (const token of tokens) fromByteLevel(token, bytes);
    const text = UTF8.decode(new Uint8Array(bytes));
    return cleanUp ? cleanUpTokenization(text) : text;
  }

  /** RoBERTa's layout; `create_token_type_ids_from_sequences` gives 0 everywhere. */
  protected override wrapWithSpecialTokens(a: readonly number[], b: readonly number[] | undefined): { inputIds: number[]; tokenTypeIds: number[] } {
    const inputIds = [this.clsId, ...a, this.sepId];
    if (b) {
      inputIds.push(this.sepId);
      for (const id of b) inputIds.push(id);
      inputIds.push(this.sepId);
    }
    return { inputIds, tokenTypeIds: new Array<number>(inputIds.length).fill(0) };
  }
}
