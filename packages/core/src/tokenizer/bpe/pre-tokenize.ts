/**
 * GPT-2's pre-tokenisation: the text is cut into contractions, letter runs, digit runs,
 * punctuation runs and whitespace before BPE runs on each piece, so merges never cross them.
 *
 *   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
 *
 * with Python `regex` semantics. JS's `\p{L}` and `\p{N}` (with the `u` flag) are the same
 * Unicode classes, but JS's `\s` is not Python's: it adds U+FEFF and lacks U+0085 (NEL). So
 * `\s` is spelled out as Unicode's White_Space set, which is what `regex` matches.
 */

/** Unicode White_Space: what Python `regex` (and the `tokenizers` library) mean by `\s`. */
const WS = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** The pattern source, as the `u`-flag JS regex that matches like GPT-2's. */
export const GPT2_PATTERN_SOURCE =
  `'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^${WS}\\p{L}\\p{N}]+|[${WS}]+(?![^${WS}])|[${WS}]+`;

const GPT2_PATTERN = new RegExp(GPT2_PATTERN_SOURCE, 'gu');

/** The pieces of `text` in order; together they are exactly `text` (the pattern matches every character). */
export function preTokenize(text: string): string[] {
  return text.match(GPT2_PATTERN) ?? [];
}
