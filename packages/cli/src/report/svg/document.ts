import { attrs, escapeXml } from './escape.js';
import { FONT_FAMILY } from './palette.js';

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
