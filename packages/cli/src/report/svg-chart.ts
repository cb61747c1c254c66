/**
 * The compare chart: one self-contained SVG with a grouped bar panel per metric (mean ± std over
 * seeds, per head, every seed a dot over its bar), a panel of each head's difference to the
 * baseline with its confidence interval, and a learning-curve panel (dev metric against
 * optimizer step, mean over seeds). No external CSS or fonts; every piece of text is escaped.
 */
import { headLabelLayout, renderBarPanel, type MetricBounds, type MetricSummary, type SeedPoint } from './svg/bar-panel.js';
import { curvePanelBox, curvePanelHeight, hasCurves, renderCurvePanel, type CurvePoint } from './svg/curve-panel.js';
import { differencePanelHeight, renderDifferencePanel, type DifferenceData, type DifferenceRow } from './svg/difference-panel.js';
import { renderTitle, svgDocument } from './svg/document.js';
import { text } from './svg/escape.js';
import { renderLegend } from './svg/legend.js';
import { headColor, INK, MUTED } from './svg/palette.js';

export { capTicks, niceTicks, niceStep, formatTick, type MetricBounds, type Ticks } from './svg/nice-ticks.js';
export { barDomain, dotOffsets, formatValue, type SeedPoint } from './svg/bar-panel.js';
export { meanCurve } from './svg/curve-panel.js';
export { escapeXml } from './svg/escape.js';
export { PALETTE } from './svg/palette.js';

export interface CompareChartData {
  /** e.g. "SST-2 (4000 train examples), 3 seeds". */
  title: string;
  /** e.g. { name: 'accuracy', label: 'Accuracy', higherIsBetter: true, bounds: { min: 0, max: 1 } }. */
  metrics: { name: string; label: string; higherIsBetter: boolean; bounds?: MetricBounds }[];
  heads: {
    name: string;
    values: Record<string, MetricSummary>;
    /** One dev main-metric learning curve per seed. */
    curves: CurvePoint[][];
    /** Per metric, every seed's value: dots over the bar. */
    points?: Record<string, SeedPoint[]>;
  }[];
  /** Each head's difference to the baseline on the main metric, with its CI (a panel under the bars). */
  differences?: Omit<DifferenceData, 'rows'> & { rows: Omit<DifferenceRow, 'color'>[] };
  curveMetric: { name: string; label: string; bounds?: MetricBounds };
  /** The line under the title; default: what the bars and error bars show over seeds. */
  subtitle?: string;
  /** Bar panels side by side, at most (default 3; fewer leaves room for long metric labels). */
  columns?: number;
}

const WIDTH = 900;
const MARGIN = 16;
/** Bar panels side by side in one row, at most. */
const MAX_COLUMNS = 3;
const PANEL_TOP = 46;
const BAR_PLOT_HEIGHT = 210;
const BAR_LEFT = 58;
const BAR_RIGHT = 14;
const CURVE_PLOT_HEIGHT = 260;

/** What the error bars are: the sample standard deviation over seeds (divided by n − 1). */
const ERROR_BARS = 'error bars: ± 1 sample std (n − 1)';

/** The line under the title: what bars and error bars show, and over how many seeds. */
function subtitle(data: CompareChartData): string {
  const ns = data.heads.flatMap((h) => data.metrics.map((m) => h.values[m.name]?.n)).filter((n): n is number => Number.isFinite(n));
  if (ns.length === 0) return `Bars: mean over seeds; ${ERROR_BARS}.`;
  const lo = Math.min(...ns);
  const hi = Math.max(...ns);
  if (hi <= 1) return 'Bars: one seed per head (no error bars).';
  return `Bars: mean over seeds; ${ERROR_BARS}, n = ${lo === hi ? lo : `${lo}–${hi}`} seeds per head.`;
}

export function renderCompareSvg(data: CompareChartData): string {
  const inner = WIDTH - 2 * MARGIN;
  const heads = data.heads.map((h, i) => ({ ...h, color: headColor(i) }));
  const body: string[] = [];
  let y = MARGIN;

  const title = renderTitle(data.title, MARGIN, y, inner);
  body.push(title.svg);
  y += title.height;
  if (data.metrics.length > 0 && heads.length > 0) {
    body.push(text(MARGIN, y + 12, data.subtitle ?? subtitle(data), { class: 'chart-subtitle', 'font-size': 12, fill: MUTED }));
    y += 24;
    if (heads.some((h) => h.points && Object.keys(h.points).length > 0)) {
      body.push(text(MARGIN, y + 4, 'Dots: one per seed, side by side (hollow: a failed run, one class for every dev example).', { class: 'chart-note', 'font-size': 12, fill: MUTED }));
      y += 18;
    }
  }
  const legend = renderLegend(heads, MARGIN, y, inner);
  body.push(legend.svg);
  y += legend.height + 8;

  if (heads.length === 0) {
    body.push(text(WIDTH / 2, y + 30, 'No heads to compare.', { 'text-anchor': 'middle', 'font-size': 14, fill: MUTED }));
    y += 50;
  }

  if (heads.length > 0 && data.metrics.length > 0) {
    const columns = Math.min(data.columns ?? MAX_COLUMNS, data.metrics.length);
    const panelW = inner / columns;
    const plotW = panelW - BAR_LEFT - BAR_RIGHT;
    const slot = plotW / heads.length;
    const labels = headLabelLayout(heads.map((h) => h.name), slot, MARGIN + BAR_LEFT + slot / 2);
    const panelH = PANEL_TOP + BAR_PLOT_HEIGHT + labels.height + 12;
    data.metrics.forEach((metric, i) => {
      const col = i % columns;
      const row = Math.floor(i / columns);
      const box = { left: MARGIN + col * panelW + BAR_LEFT, top: y + row * panelH + PANEL_TOP, width: plotW, height: BAR_PLOT_HEIGHT };
      const barHeads = heads.map((h) => ({ name: h.name, color: h.color, value: h.values[metric.name], points: h.points?.[metric.name] }));
      body.push(renderBarPanel(metric, barHeads, box, labels));
    });
    y += Math.ceil(data.metrics.length / columns) * panelH;
  }

  if (data.differences && heads.length > 0) {
    const colorOf = (name: string) => heads.find((h) => h.name === name)?.color ?? INK;
    const rows = data.differences.rows.map((r) => ({ ...r, color: colorOf(r.head) }));
    body.push(renderDifferencePanel({ ...data.differences, rows }, MARGIN, y, inner));
    y += differencePanelHeight(rows.length) + 12;
  }

  if (hasCurves(heads)) {
    body.push(renderCurvePanel(data.curveMetric, heads, curvePanelBox(MARGIN, y, inner, CURVE_PLOT_HEIGHT)));
    y += curvePanelHeight(CURVE_PLOT_HEIGHT);
  }

  const height = Math.ceil(y + MARGIN);
  return svgDocument(data.title, WIDTH, height, body);
}
