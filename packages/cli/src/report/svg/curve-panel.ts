import { linearScale, xAxis, xGrid, yAxis, type PlotBox } from './axes.js';
import { attrs, escapeXml, num, text } from './escape.js';
import { capTicks, niceTicks, type MetricBounds } from './nice-ticks.js';
import { INK, MUTED } from './palette.js';

export interface CurvePoint {
  step: number;
  value: number;
}

export interface CurveHead {
  name: string;
  color: string;
  /** One learning curve per seed. */
  curves: CurvePoint[][];
}

export interface MeanPoint extends CurvePoint {
  /** How many seeds had a (finite) value at this step. */
  n: number;
}

/** Room a curve panel takes around its plot: the title above, tick labels and axis names around. */
const AROUND = { top: 46, left: 74, right: 20, bottom: 50 };

/** The plot box of a curve panel placed at (left, top) in `width`, its plot `plotHeight` tall. */
export function curvePanelBox(left: number, top: number, width: number, plotHeight: number): PlotBox {
  return { left: left + AROUND.left, top: top + AROUND.top, width: width - AROUND.left - AROUND.right, height: plotHeight };
}

/** The whole height of a curve panel whose plot is `plotHeight` tall. */
export function curvePanelHeight(plotHeight: number): number {
  return AROUND.top + plotHeight + AROUND.bottom;
}

/** Markers are left off curves with more points than this: they would merge into a blur. */
const MAX_MARKERS = 60;

export function finitePoints(curve: CurvePoint[]): CurvePoint[] {
  return curve.filter((p) => Number.isFinite(p.step) && Number.isFinite(p.value));
}

/** The mean over seeds at each step (seeds normally share steps; a missing or NaN value is skipped). */
export function meanCurve(curves: CurvePoint[][]): MeanPoint[] {
  const byStep = new Map<number, { sum: number; n: number }>();
  for (const curve of curves) {
    for (const p of finitePoints(curve)) {
      const acc = byStep.get(p.step) ?? { sum: 0, n: 0 };
      acc.sum += p.value;
      acc.n += 1;
      byStep.set(p.step, acc);
    }
  }
  return [...byStep.entries()].sort((a, b) => a[0] - b[0]).map(([step, { sum, n }]) => ({ step, value: sum / n, n }));
}

/** Whether any head has a curve with at least one finite point. */
export function hasCurves(heads: CurveHead[]): boolean {
  return heads.some((h) => h.curves.some((c) => finitePoints(c).length > 0));
}

/** Wording of a panel other than the compare chart's learning curves over seeds on the dev set. */
export interface CurvePanelText {
  /** Bold title; default "Learning curves: <metric label>". */
  title?: string;
  /** The muted note after the title; default what the dev-set lines over seeds are. */
  note?: string;
}

export function renderCurvePanel(metric: { name: string; label: string; bounds?: MetricBounds }, heads: CurveHead[], box: PlotBox, wording: CurvePanelText = {}): string {
  const all = heads.flatMap((h) => h.curves.flatMap(finitePoints));
  const steps = all.map((p) => p.step);
  const values = all.map((p) => p.value);
  const xTicks = niceTicks(Math.min(...steps), Math.max(...steps), 8);
  const vLo = Math.min(...values);
  const vHi = Math.max(...values);
  const pad = (vHi - vLo) * 0.05;
  // Padded, but never past what the metric can be (an accuracy axis stops at 1).
  const bounds = metric.bounds ?? {};
  const yTicks = capTicks(niceTicks(Math.max(vLo - pad, bounds.min ?? -Infinity), Math.min(vHi + pad, bounds.max ?? Infinity), 5), bounds);
  const x = linearScale(xTicks.min, xTicks.max, box.left, box.left + box.width);
  const y = linearScale(yTicks.min, yTicks.max, box.top + box.height, box.top);
  const pts = (curve: CurvePoint[]) => curve.map((p) => `${num(x(p.step))},${num(y(p.value))}`).join(' ');
  const maxSeeds = Math.max(...heads.map((h) => h.curves.filter((c) => finitePoints(c).length > 0).length));

  const out: string[] = [];
  out.push(`<g ${attrs({ class: 'curve-panel', 'data-metric': metric.name, 'data-y-min': yTicks.min, 'data-y-max': yTicks.max, 'data-x-min': xTicks.min, 'data-x-max': xTicks.max })}>`);
  out.push(`<rect ${attrs({ class: 'plot-area', x: box.left, y: box.top, width: box.width, height: box.height, fill: 'none' })}/>`);
  const note = wording.note ?? (maxSeeds > 1 ? 'dev set; thick: mean over seeds, thin: each seed' : 'dev set');
  const title = wording.title ?? `Learning curves: ${metric.label}`;
  out.push(
    `<text ${attrs({ class: 'panel-title', x: box.left, y: box.top - 24, 'font-size': 15, fill: INK })}><tspan font-weight="bold">${escapeXml(title)}</tspan>` +
      `<tspan ${attrs({ dx: 8, 'font-size': 11, fill: MUTED })}>${escapeXml(note)}</tspan></text>`,
  );
  out.push(xGrid(xTicks, x, box));
  out.push(yAxis(yTicks, y, box));
  out.push(xAxis(xTicks, x, box));
  out.push(text(box.left + box.width / 2, box.top + box.height + 36, 'optimizer step', { 'text-anchor': 'middle', 'font-size': 12, fill: MUTED }));
  const yl = box.top + box.height / 2;
  out.push(text(box.left - 48, yl, metric.label, { 'text-anchor': 'middle', 'font-size': 12, fill: MUTED, transform: `rotate(-90 ${num(box.left - 48)} ${num(yl)})` }));

  // Seed lines first, so every mean line is drawn over all of them.
  for (const head of heads) {
    const seeds = head.curves.map(finitePoints).filter((c) => c.length > 0);
    if (seeds.length < 2) continue;
    for (const c of seeds) {
      out.push(`<polyline ${attrs({ class: 'seed-curve', 'data-head': head.name, points: pts(c), fill: 'none', stroke: head.color, 'stroke-width': 1, 'stroke-opacity': 0.35 })}/>`);
    }
  }
  for (const head of heads) {
    const mean = meanCurve(head.curves);
    if (mean.length === 0) continue;
    out.push(`<g ${attrs({ class: 'head-curve', 'data-head': head.name })}>`);
    out.push(`<polyline ${attrs({ class: 'mean-curve', 'data-head': head.name, points: pts(mean), fill: 'none', stroke: head.color, 'stroke-width': 2.2, 'stroke-linejoin': 'round' })}/>`);
    if (mean.length <= MAX_MARKERS) {
      for (const p of mean) {
        out.push(`<circle ${attrs({ class: 'curve-point', cx: x(p.step), cy: y(p.value), r: 3, fill: head.color, stroke: '#ffffff', 'stroke-width': 0.8 })}/>`);
      }
    }
    out.push('</g>');
  }
  out.push('</g>');
  return out.join('\n');
}
