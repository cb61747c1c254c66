/** Escapes text for SVG/XML text content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A coordinate for an attribute: at most two decimals, no "-0". */
export function num(value: number): string {
  const r = Math.round(value * 100) / 100;
  return String(Object.is(r, -0) ? 0 : r);
}

/** Builds `name="value"` pairs, escaping values; undefined values are left out. */
export function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}="${typeof v === 'number' ? num(v) : escapeXml(v as string)}"`)
    .join(' ');
}

/** One `<text>` element with escaped content. */
export function text(x: number, y: number, content: string, extra: Record<string, string | number | undefined> = {}): string {
  return `<text ${attrs({ x, y, ...extra })}>${escapeXml(content)}</text>`;
}
