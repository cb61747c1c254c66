/**
 * Character classes of Hugging Face's BasicTokenizer, as global regular expressions.
 *
 * HF tests characters one at a time with `unicodedata.category`; running one regex over a whole
 * string instead is much faster in JS and gives the same answer, because every class below is a
 * pure per-code-point test. The `u` flag makes the regexes see code points (so an emoji is one
 * character and a lone surrogate is one category-Cs character, exactly like a Python `str`).
 */

/** Printable ASCII only: such text needs no cleaning, no NFC/NFD and no CJK handling. */
export const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Any non-ASCII code unit (cheap test for "may need Unicode normalization"). */
export const NON_ASCII = /[^\x00-\x7f]/;

/**
 * What `_clean_text` deletes: U+0000, U+FFFD and every category-C character (Cc, Cf, Cs, Co,
 * Cn), except \t \n \r, which HF treats as whitespace rather than control characters.
 * (U+0000 is Cc, so the class covers it.)
 */
export const CLEAN_REMOVE = /(?![\t\n\r])[\p{C}\uFFFD]/gu;

/**
 * What `_clean_text` turns into a plain space: \t \n \r and category Zs. Plain spaces are
 * skipped by the lookahead: replacing each of them with itself made this pass 100x slower.
 */
export const CLEAN_WHITESPACE = /(?! )[\t\n\r\p{Zs}]/gu;

/**
 * HF's `_is_chinese_char`: the CJK Unified Ideographs blocks (and their extensions and the
 * compatibility ideographs). Deliberately not all of CJK: Hiragana, Katakana and Hangul are not
 * in these ranges, and HF does not space them out.
 */
export const CJK_IDEOGRAPH =
  /[\u{4E00}-\u{9FFF}\u{3400}-\u{4DBF}\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B820}-\u{2CEAF}\u{F900}-\u{FAFF}\u{2F800}-\u{2FA1F}]/gu;

/**
 * Python's `str.split()` separators (`str.isspace`): what `whitespace_tokenize` splits on. This
 * differs from JS `\s` (Python adds U+001C..U+001F and U+0085; JS adds U+FEFF), and it matters
 * when text cleaning is off, or for U+2028/U+2029, which cleaning keeps (they are Zl/Zp, not Zs).
 */
export const PY_WHITESPACE_RUN = /[\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** Non-spacing marks (category Mn): what `_run_strip_accents` drops after NFD. */
export const NONSPACING_MARK = /\p{Mn}/gu;

/**
 * HF's `_is_punctuation`, as a split pattern with a capture group so `String.split` keeps each
 * punctuation character as its own piece: the four ASCII symbol ranges (so `$`, `+`, `^`, `` ` ``
 * count, though Unicode calls them symbols) plus every Unicode P* category.
 */
export const PUNCTUATION_SPLIT = /([\u0021-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007E\p{P}])/u;

/** Quick test that a string holds at least one punctuation character (same class as above). */
export const HAS_PUNCTUATION = /[\u0021-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007E\p{P}]/u;

/** Splits like Python's `text.strip().split()`: no empty strings at either end. */
export function whitespaceSplit(text: string): string[] {
  const parts = text.split(PY_WHITESPACE_RUN);
  // A leading or trailing separator leaves one empty string at that end; drop it.
  if (parts.length > 0 && parts[0] === '') parts.shift();
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Number of code points (what Python's `len(str)` counts), without building an array. */
export function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low surrogate is one code point; anything else is one each.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}
