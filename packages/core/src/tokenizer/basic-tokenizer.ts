/**
 * Hugging Face's `BasicTokenizer`: text cleaning, CJK spacing, lower-casing / accent stripping
 * and whitespace + punctuation splitting. Its output words are what WordPiece then splits.
 */
import {
  CJK_IDEOGRAPH,
  CLEAN_REMOVE,
  CLEAN_WHITESPACE,
  HAS_PUNCTUATION,
  NON_ASCII,
  NONSPACING_MARK,
  PRINTABLE_ASCII,
  PUNCTUATION_SPLIT,
  whitespaceSplit,
} from './unicode.js';

export interface BasicTokenizerOptions {
  /** Lower-case words (default true). */
  doLowerCase?: boolean;
  /**
   * Strip accents (NFD, then drop category Mn). `null`/undefined follows `doLowerCase`, which is
   * HF's behaviour: uncased models strip accents, cased ones keep them.
   */
  stripAccents?: boolean | null;
  /** Put spaces around CJK ideographs so each becomes its own word (default true). */
  tokenizeChineseChars?: boolean;
  /** Drop control characters and map whitespace to spaces (default true; HF's slow tokenizer always does). */
  cleanText?: boolean;
  /** Whole words (whitespace-delimited) that are passed through untouched. */
  neverSplit?: Iterable<string>;
}

/** Deletes what HF's `_clean_text` deletes and turns every whitespace character into a space. */
export function cleanText(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  return text.replace(CLEAN_REMOVE, '').replace(CLEAN_WHITESPACE, ' ');
}

/** HF's `_tokenize_chinese_chars`: surrounds each CJK ideograph with spaces. */
export function spaceOutCjk(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return text.replace(CJK_IDEOGRAPH, ' $& ');
}

/** HF's `_run_strip_accents`: canonical decomposition, then drop the combining marks. */
export function stripAccents(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return text.normalize('NFD').replace(NONSPACING_MARK, '');
}

/** HF's `_run_split_on_punc`: every punctuation character becomes its own piece. */
export function splitOnPunctuation(word: string): string[] {
  if (!HAS_PUNCTUATION.test(word)) return [word];
  // With a capturing group, split() returns [text, punct, text, punct, ...]; the text parts are
  // empty between adjacent punctuation and are dropped, like HF's list of lists.
  return word.split(PUNCTUATION_SPLIT).filter((piece) => piece !== '');
}

export class BasicTokenizer {
  readonly doLowerCase: boolean;
  readonly stripAccents: boolean | null;
  readonly tokenizeChineseChars: boolean;
  readonly cleanText: boolean;
  readonly neverSplit: ReadonlySet<string>;
  private readonly shouldStrip: boolean;

  constructor(options: BasicTokenizerOptions = {}) {
    this.doLowerCase = options.doLowerCase ?? true;
    this.stripAccents = options.stripAccents ?? null;
    this.tokenizeChineseChars = options.tokenizeChineseChars ?? true;
    this.cleanText = options.cleanText ?? true;
    this.neverSplit = new Set(options.neverSplit ?? []);
    // HF: lower-casing strips accents unless strip_accents is explicitly false; without
    // lower-casing, accents are stripped only when strip_accents is explicitly true.
    this.shouldStrip = this.doLowerCase ? this.stripAccents !== false : this.stripAccents === true;
  }

  /** Splits text into words and punctuation, normalized as configured. Never throws. */
  tokenize(text: string): string[] {
    const out: string[] = [];
    for (const word of whitespaceSplit(this.normalizeText(text))) {
      for (const piece of this.splitWord(word)) out.push(piece);
    }
    return out;
  }

  /**
   * The whole-text steps, before the whitespace split: cleaning, CJK spacing and NFC. (HF
   * normalizes to NFC so that composed and decomposed spellings of a character give the same
   * words; it matters for cased vocabularies, which keep accents.)
   */
  normalizeText(text: string): string {
    let t = this.cleanText ? cleanText(text) : text;
    if (this.tokenizeChineseChars) t = spaceOutCjk(t);
    if (NON_ASCII.test(t)) t = t.normalize('NFC');
    return t;
  }

  /**
   * The per-word steps for one whitespace-delimited word of `normalizeText`'s output:
   * lower-casing, accent stripping and the punctuation split, unless the word is never_split.
   * The result depends on the word alone, so callers may cache it.
   */
  splitWord(original: string): string[] {
    const neverSplit = this.neverSplit;
    let word = original;
    if (!neverSplit.has(word)) {
      // Lower-case the whole word at once (not character by character): a capital sigma at the
      // end of a word becomes final sigma "ς", as Python's str.lower() does on the word.
      if (this.doLowerCase) word = word.toLowerCase();
      if (this.shouldStrip) word = stripAccents(word);
    }
    // HF checks never_split again on the normalized word before splitting off punctuation.
    if (neverSplit.has(word)) return [word];
    // A word that normalized to nothing (only accents) yields no pieces, as in HF where the
    // final whitespace re-split drops empty strings.
    if (word === '') return [];
    return splitOnPunctuation(word);
  }
}
