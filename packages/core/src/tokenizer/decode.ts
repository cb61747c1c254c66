/** Turning WordPiece tokens back into text, as HF's `decode` does. */

/**
 * Joins tokens by spaces, glues `prefix` ("##") continuations onto the word before, and (when
 * `cleanUp` is set) removes the spaces before punctuation and contractions.
 */
export function tokensToText(tokens: readonly string[], prefix: string, cleanUp: boolean): string {
  let text = tokens.join(' ').split(` ${prefix}`).join('').trim();
  if (cleanUp) text = cleanUpTokenization(text);
  return text;
}

/** HF's `clean_up_tokenization`: removes the spaces decoding puts before punctuation and clitics. */
export function cleanUpTokenization(text: string): string {
  return text
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}
