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
