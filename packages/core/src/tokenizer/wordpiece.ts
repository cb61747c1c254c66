/**
 * Greedy longest-match-first WordPiece, as Hugging Face's `WordpieceTokenizer`: a word is cut
 * into the longest vocabulary entry that starts it, then the longest `##`-prefixed entry that
 * continues it, and so on. If any position has no match the whole word becomes the unknown
 * token (not just the unmatched part), and a word longer than `maxInputCharsPerWord` code points
 * is the unknown token without trying.
 */

export interface WordPieceOptions {
  unkToken: string;
  /** Prefix of vocabulary entries that continue a word (default "##"). */
  continuingSubwordPrefix?: string;
  /** Longer words (in code points, as Python's len) become the unknown token (default 100). */
  maxInputCharsPerWord?: number;
}

/** Upper bound on cached words: enough for a corpus's common vocabulary, bounded memory. */
const CACHE_LIMIT = 50_000;

export class WordPiece {
  readonly unkToken: string;
  readonly prefix: string;
  readonly maxInputCharsPerWord: number;
  private readonly vocab: ReadonlyMap<string, number>;
  /** Longest vocabulary entry in UTF-16 units: no longer candidate can match, so skip those. */
  private readonly longestEntry: number;
  private readonly cache = new Map<string, readonly string[]>();

  constructor(vocab: ReadonlyMap<string, number>, options: WordPieceOptions) {
    this.vocab = vocab;
    this.unkToken = options.unkToken;
    this.prefix = options.continuingSubwordPrefix ?? '##';
    this.maxInputCharsPerWord = options.maxInputCharsPerWord ?? 100;
    let longest = 0;
    for (const token of vocab.keys()) if (token.length > longest) longest = token.length;
    this.longestEntry = longest;
  }

  /** The pieces of one word (a word has no whitespace: the basic tokenizer split it already). */
  tokenizeWord(word: string): readonly string[] {
    const cached = this.cache.get(word);
    if (cached) return cached;
    const pieces = this.split(word);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(word, pieces);
    return pieces;
  }

  private split(word: string): readonly string[] {
    // Code-unit offsets of each code point boundary, so candidates are cheap slices and a
    // surrogate pair is never cut in half. offsets[k] is where code point k starts.
    const offsets: number[] = [];
    for (let i = 0; i < word.length; i++) {
      offsets.push(i);
      const c = word.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < word.length) {
        const d = word.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
      // Stop counting early: the word is too long whatever follows.
      if (offsets.length > this.maxInputCharsPerWord) return [this.unkToken];
    }
    const n = offsets.length;
    offsets.push(word.length);

    const pieces: string[] = [];
    let start = 0;
    while (start < n) {
      const prefix = start > 0 ? this.prefix : '';
      let end = n;
      let match: string | undefined;
      while (end > start) {
        // Candidates longer than the longest vocabulary entry cannot match; skip the lookup.
        if (prefix.length + offsets[end]! - offsets[start]! <= this.longestEntry) {
          const candidate = prefix + word.slice(offsets[start], offsets[end]);
          if (this.vocab.has(candidate)) {
            match = candidate;
            break;
          }
        }
        end--;
      }
      if (match === undefined) return [this.unkToken];
      pieces.push(match);
      start = end;
    }
    return pieces;
  }
}
