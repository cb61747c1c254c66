import { num, text } from './escape.js';
import { formatTick, type Ticks } from './nice-ticks.js';
import { AXIS, GRID, INK, MUTED } from './palette.js';

export type Scale = (value: number) => number;

/** Maps [d0, d1] linearly onto [r0, r1]. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

export interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Horizontal gridlines and tick labels left of the plot; the zero line is drawn darker. */
export function yAxis(ticks: Ticks, y: Scale, box: PlotBox, fontSize = 11): string {
  const right = box.left + box.width;
  const out: string[] = ['<g class="y-axis">'];
  for (const v of ticks.values) {
    const yy = num(y(v));
    const isZero = v === 0 && ticks.min < 0;
    out.push(`<line x1="${num(box.left)}" y1="${yy}" x2="${num(right)}" y2="${yy}" stroke="${isZero ? AXIS : GRID}" stroke-width="1"/>`);
    out.push(text(box.left - 6, y(v), formatTick(v, ticks.step), { 'text-anchor': 'end', dy: '0.35em', 'font-size': fontSize, fill: MUTED, class: 'tick-label' }));
  }
  out.push(`<line x1="${num(box.left)}" y1="${num(box.top)}" x2="${num(box.left)}" y2="${num(box.top + box.height)}" stroke="${AXIS}" stroke-width="1"/>`);
  out.push('</g>');
  return out.join('\n');
}

/** Tick marks and labels under the plot, plus the bottom axis line. */
export function xAxis(ticks: Ticks, x: Scale, box: PlotBox, fontSize = 11): string {
  const bottom = box.top + box.height;
  const out: string[] = ['<g class="x-axis">'];
  out.push(`<line x1="${num(box.left)}" y1="${num(bottom)}" x2="${num(box.left + box.width)}" y2="${num(bottom)}" stroke="${AXIS}" stroke-width="1"/>`);
  for (const v of ticks.values) {
    const xx = num(x(v));
    out.push(`<line x1="${xx}" y1="${num(bottom)}" x2="${xx}" y2="${num(bottom + 4)}" stroke="${AXIS}" stroke-width="1"/>`);
    out.push(text(x(v), bottom + 17, formatTick(v, ticks.step), { 'text-anchor': 'middle', 'font-size': fontSize, fill: MUTED, class: 'tick-label' }));
  }
  out.push('</g>');
  return out.join('\n');
}

/** Vertical gridlines (for the curve panel). */
export function xGrid(ticks: Ticks, x: Scale, box: PlotBox): string {
  return ticks.values
    .map((v) => `<line x1="${num(x(v))}" y1="${num(box.top)}" x2="${num(x(v))}" y2="${num(box.top + box.height)}" stroke="${GRID}" stroke-width="1"/>`)
    .join('\n');
}

/** A small "//" break mark on the y axis, between the lowest two ticks, for an axis that does not start at zero. */
export function axisBreak(box: PlotBox, at?: number): string {
  const x = box.left;
  const y = at ?? box.top + box.height - 12;
  return (
    '<g class="axis-break">' +
    `<rect x="${num(x - 4)}" y="${num(y - 4)}" width="8" height="8" fill="#ffffff"/>` +
    `<g stroke="${INK}" stroke-width="1">` +
    `<line x1="${num(x - 5)}" y1="${num(y - 1)}" x2="${num(x + 5)}" y2="${num(y - 5)}"/>` +
    `<line x1="${num(x - 5)}" y1="${num(y + 5)}" x2="${num(x + 5)}" y2="${num(y + 1)}"/>` +
    '</g></g>'
  );
}
