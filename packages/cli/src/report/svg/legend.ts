import { attrs, escapeXml } from './escape.js';
import { INK } from './palette.js';
import { textWidth, truncate } from './text-metrics.js';

const FONT = 13;
const SWATCH = 12;
const ROW = 22;
const MAX_NAME = 40;

export interface LegendLayout {
  svg: string;
  height: number;
}

/** One swatch + name per head, wrapped into rows that fit `width`, starting at (left, top). */
export function renderLegend(heads: { name: string; color: string }[], left: number, top: number, width: number): LegendLayout {
  const out: string[] = ['<g class="legend">'];
  let x = left;
  let row = 0;
  for (const head of heads) {
    const name = truncate(head.name, MAX_NAME);
    const w = SWATCH + 6 + textWidth(name, FONT) + 22;
    if (x > left && x + w > left + width) {
      x = left;
      row++;
    }
    const y = top + row * ROW;
    out.push(
      `<g ${attrs({ class: 'legend-entry', 'data-head': head.name })}>` +
        `<rect ${attrs({ x, y, width: SWATCH, height: SWATCH, rx: 2, fill: head.color })}/>` +
        `<text ${attrs({ x: x + SWATCH + 6, y: y + SWATCH / 2, dy: '0.35em', 'font-size': FONT, fill: INK })}>${escapeXml(name)}</text>` +
        '</g>',
    );
    x += w;
  }
  out.push('</g>');
  return { svg: out.join('\n'), height: heads.length === 0 ? 0 : (row + 1) * ROW };
}
