/** Rough text measurement for layout: no font access, so an average glyph width is assumed. */

const AVERAGE_GLYPH = 0.6;

export function textWidth(text: string, fontSize: number): number {
  return [...text].length * fontSize * AVERAGE_GLYPH;
}

/** Cuts `text` to at most `maxChars` code points, ending in "…" when cut. */
export function truncate(text: string, maxChars: number): string {
  const chars = [...text];
  return chars.length <= maxChars ? text : chars.slice(0, Math.max(1, maxChars - 1)).join('') + '…';
}

/** The largest font size in [min, max] at which `text` fits `width`. */
export function fitFontSize(text: string, width: number, max: number, min: number): number {
  const chars = Math.max(1, [...text].length);
  return Math.max(min, Math.min(max, width / (chars * AVERAGE_GLYPH)));
}
