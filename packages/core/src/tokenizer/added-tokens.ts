/** Finding added (and special) tokens in text, so that they can be cut out verbatim before tokenizing. */

/** Characters with a meaning in regular expressions, escaped to match added tokens literally. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * A global regex matching any of `tokens` (none of them empty), or undefined when there are none.
 * Longest first, so that of two tokens starting at the same place the longer one wins (as with
 * HF's trie); the regex engine already prefers the leftmost match.
 */
export function addedTokenPattern(tokens: Iterable<string>): RegExp | undefined {
  const alternatives = [...tokens].sort((x, y) => y.length - x.length).map(escapeRegExp);
  return alternatives.length ? new RegExp(alternatives.join('|'), 'g') : undefined;
}

/** A stretch of text: an added token (kept whole) or plain text between them. */
export interface TextSegment {
  text: string;
  added: boolean;
}

/**
 * Python's `str.isspace()` characters, which HF's `lstrip`/`rstrip` handling removes (via
 * `str.rstrip()` / `str.lstrip()`).
 */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TRAILING_SPACE = new RegExp(`[${PY_SPACE}]+$`);
const LEADING_SPACE = new RegExp(`^[${PY_SPACE}]+`);

/** Whether `ch` is whitespace to Python's `str.isspace()`. */
export function isPythonSpace(ch: string): boolean {
  return LEADING_SPACE.test(ch);
}

/**
 * Cuts `text` at every match of `pattern` (see addedTokenPattern), as HF's slow tokenizers do
 * (`tokens_trie.split`), then applies the tokens' flags: `lstrip` trims the whitespace at the end
 * of the text before the token, `rstrip` the whitespace at the start of the text after it (so
 * "a <mask> b" with lstrip on `<mask>` gives "a", "<mask>", " b"). Empty plain segments are dropped.
 */
export function splitOnAddedTokens(
  text: string,
  pattern: RegExp | undefined,
  flags: ReadonlyMap<string, { lstrip?: boolean; rstrip?: boolean }>,
): TextSegment[] {
  const segments: TextSegment[] = [];
  if (pattern) {
    pattern.lastIndex = 0;
    let last = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      if (m.index > last) segments.push({ text: text.slice(last, m.index), added: false });
      segments.push({ text: m[0], added: true });
      last = m.index + m[0].length;
    }
    if (last < text.length) segments.push({ text: text.slice(last), added: false });
  } else if (text) {
    segments.push({ text, added: false });
  }
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (!seg.added) continue;
    const f = flags.get(seg.text);
    const left = segments[i - 1];
    const right = segments[i + 1];
    if (f?.lstrip && left && !left.added) left.text = left.text.replace(TRAILING_SPACE, '');
    if (f?.rstrip && right && !right.added) right.text = right.text.replace(LEADING_SPACE, '');
  }
  return segments.filter((s) => s.added || s.text !== '');
}
