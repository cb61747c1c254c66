import { attrs, escapeXml, text } from './escape.js';
import { FONT_FAMILY, INK } from './palette.js';
import { fitFontSize, textWidth, truncate } from './text-metrics.js';

/** A self-contained SVG document of `width` × `height` on white, with an accessible title. */
export function svgDocument(title: string, width: number, height: number, body: string[]): string {
  return [
    `<svg ${attrs({ xmlns: 'http://www.w3.org/2000/svg', width, height, viewBox: `0 0 ${width} ${height}`, 'font-family': FONT_FAMILY, role: 'img' })}>`,
    `<title>${escapeXml(title)}</title>`,
    `<rect ${attrs({ width, height, fill: '#ffffff' })}/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** A chart's bold title at (left, top), shrunk (and at worst cut) to fit `width`; with the height it takes. */
export function renderTitle(title: string, left: number, top: number, width: number): { svg: string; height: number } {
  const font = fitFontSize(title, width, 20, 12);
  const shown = textWidth(title, font) > width ? truncate(title, Math.floor(width / (font * 0.6))) : title;
  return { svg: text(left, top + font, shown, { class: 'chart-title', 'font-size': font, 'font-weight': 'bold', fill: INK }), height: font + 8 };
}
