/**
 * The difference panel: per head, its mean difference to the baseline on the main metric as a
 * dot with its bootstrap confidence interval as a horizontal line, against a drawn zero line.
 * An interval that leaves zero out is a difference the seeds support; one across zero is not.
 */
import { linearScale, xAxis, xGrid, type PlotBox } from './axes.js';
import { formatValue } from './bar-panel.js';
import { attrs, escapeXml, text } from './escape.js';
import { niceTicks } from './nice-ticks.js';
import { AXIS, INK, MUTED } from './palette.js';
import { truncate } from './text-metrics.js';

export interface DifferenceRow {
  head: string;
  color: string;
  /** Mean(head) − mean(baseline), and the CI's ends; NaN when there are too few seeds. */
  estimate: number;
  low: number;
  high: number;
  /** e.g. "better (significant at α=0.05)". */
  verdict: string;
}

export interface DifferenceData {
  baseline: string;
  /** The main metric's label, e.g. "Accuracy". */
  metricLabel: string;
  higherIsBetter: boolean;
  /** e.g. 0.95. */
  confidence: number;
  rows: DifferenceRow[];
}

const ROW_HEIGHT = 26;
const NAME_WIDTH = 150;
const VERDICT_WIDTH = 230;
const TITLE_SPACE = 40;
const AXIS_SPACE = 30;

/** Height the panel takes for `rows` heads. */
export function differencePanelHeight(rows: number): number {
  return TITLE_SPACE + Math.max(1, rows) * ROW_HEIGHT + AXIS_SPACE;
}

export function renderDifferencePanel(data: DifferenceData, left: number, top: number, width: number): string {
  const box: PlotBox = { left: left + NAME_WIDTH, top: top + TITLE_SPACE, width: width - NAME_WIDTH - VERDICT_WIDTH, height: Math.max(1, data.rows.length) * ROW_HEIGHT };
  const finite = data.rows.flatMap((r) => [r.estimate, r.low, r.high]).filter((v) => Number.isFinite(v));
  // Zero is always on the axis: the question is on which side of it each interval lies.
  const lo = Math.min(0, ...finite);
  const hi = Math.max(0, ...finite);
  const pad = (hi - lo || 0.01) * 0.08;
  const ticks = niceTicks(lo - pad, hi + pad, 6);
  const x = linearScale(ticks.min, ticks.max, box.left, box.left + box.width);
  const pct = Math.round(data.confidence * 100);
  const out: string[] = [];
  out.push(`<g ${attrs({ class: 'difference-panel', 'data-baseline': data.baseline, 'data-x-min': ticks.min, 'data-x-max': ticks.max })}>`);
  out.push(
    `<text ${attrs({ class: 'panel-title', x: left, y: top + 16, 'font-size': 15, fill: INK })}><tspan font-weight="bold">${escapeXml(`${data.metricLabel}: difference to ${data.baseline}`)}</tspan>` +
      `<tspan ${attrs({ dx: 8, 'font-size': 11, fill: MUTED })}>${escapeXml(`mean over seeds, ${pct} % bootstrap CI; ${data.higherIsBetter ? 'right' : 'left'} of 0: the head is better`)}</tspan></text>`,
  );
  out.push(`<rect ${attrs({ class: 'plot-area', x: box.left, y: box.top, width: box.width, height: box.height, fill: 'none' })}/>`);
  out.push(xGrid(ticks, x, box));
  out.push(xAxis(ticks, x, box));
  out.push(`<line ${attrs({ class: 'zero-line', x1: x(0), y1: box.top - 4, x2: x(0), y2: box.top + box.height, stroke: AXIS, 'stroke-width': 1.5, 'stroke-dasharray': '4 3' })}/>`);
  if (data.rows.length === 0) {
    out.push(text(box.left + box.width / 2, box.top + ROW_HEIGHT / 2, 'only the baseline: nothing to compare', { 'text-anchor': 'middle', dy: '0.35em', 'font-size': 12, fill: MUTED }));
  }
  data.rows.forEach((r, i) => {
    const cy = box.top + ROW_HEIGHT * (i + 0.5);
    out.push(text(box.left - 8, cy, truncate(r.head, 22), { class: 'head-label', 'text-anchor': 'end', dy: '0.35em', 'font-size': 12, fill: INK }));
    out.push(text(box.left + box.width + 10, cy, r.verdict, { class: 'verdict', 'text-anchor': 'start', dy: '0.35em', 'font-size': 11, fill: INK }));
    if (!Number.isFinite(r.estimate)) {
      out.push(text(x(0) + 6, cy, 'n/a', { class: 'value-label na', dy: '0.35em', 'font-size': 11, 'font-style': 'italic', fill: MUTED }));
      return;
    }
    const hasCi = Number.isFinite(r.low) && Number.isFinite(r.high);
    const tip = `${r.head} − ${data.baseline}: ${formatValue(r.estimate)}${hasCi ? ` (${pct} % CI ${formatValue(r.low)} to ${formatValue(r.high)})` : ''}; ${r.verdict}`;
    out.push(`<g ${attrs({ class: 'difference', 'data-head': r.head, 'data-estimate': String(r.estimate), 'data-low': String(r.low), 'data-high': String(r.high) })}>`);
    out.push(`<title>${escapeXml(tip)}</title>`);
    if (hasCi) {
      out.push(`<line ${attrs({ class: 'ci', x1: x(r.low), y1: cy, x2: x(r.high), y2: cy, stroke: r.color, 'stroke-width': 3 })}/>`);
      for (const end of [r.low, r.high]) out.push(`<line ${attrs({ x1: x(end), y1: cy - 5, x2: x(end), y2: cy + 5, stroke: r.color, 'stroke-width': 1.5 })}/>`);
    }
    out.push(`<circle ${attrs({ class: 'estimate', cx: x(r.estimate), cy, r: 4.5, fill: r.color, stroke: INK, 'stroke-width': 1 })}/>`);
    out.push('</g>');
  });
  out.push('</g>');
  return out.join('\n');
}
