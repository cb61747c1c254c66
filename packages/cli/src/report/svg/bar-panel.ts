import { axisBreak, linearScale, yAxis, type PlotBox } from './axes.js';
import { attrs, escapeXml, num, text } from './escape.js';
import { capTicks, niceTicks, type MetricBounds, type Ticks } from './nice-ticks.js';

export type { MetricBounds };
import { INK, MUTED } from './palette.js';
import { textWidth, truncate } from './text-metrics.js';

export interface MetricSummary {
  mean: number;
  std: number;
  min: number;
  max: number;
  n: number;
}

/** One run's value, drawn as a dot over its head's bar. */
export interface SeedPoint {
  seed: number;
  value: number;
  /** The run collapsed to one class (drawn hollow). */
  failed?: boolean;
}

export interface BarHead {
  name: string;
  color: string;
  /** Undefined when the head has no value for this metric. */
  value?: MetricSummary;
  /** Every seed's value, drawn as dots over the bar (optional: bars alone without them). */
  points?: SeedPoint[];
}

export interface BarMetric {
  name: string;
  label: string;
  higherIsBetter: boolean;
  /** No axis beyond these, however far mean ± std reaches (an F1 axis never runs to 1.2). */
  bounds?: MetricBounds;
}

export interface BarDomain {
  ticks: Ticks;
  /** Where bars start: 0 when the axis spans it, else the axis's lower end. */
  baseline: number;
}

/** Longest head name shown under bars before it is cut with "…". */
const MAX_HEAD_LABEL = 22;
const HEAD_FONT = 12;

function finiteStd(v: MetricSummary): number {
  return Number.isFinite(v.std) ? Math.abs(v.std) : 0;
}

/**
 * The y axis for one metric. Bars of values far from zero (accuracy 80–85) get an axis that
 * starts at a nice tick below the lowest mean − std; values near zero, or negative ones (MCC),
 * get an axis that includes zero, with bars drawn from zero. `room` is the share of the plot
 * height kept free beyond the highest mean + std (and below the lowest, for negatives) for
 * the value labels. `bounds` (the metric's possible values) cap the axis at both ends.
 */
export function barDomain(values: MetricSummary[], room = 0.1, bounds: MetricBounds = {}): BarDomain {
  const ok = values.filter((v) => Number.isFinite(v.mean));
  if (ok.length === 0) return { ticks: niceTicks(0, 1), baseline: 0 };
  const lo = Math.min(...ok.map((v) => v.mean - finiteStd(v)));
  const hi = Math.max(...ok.map((v) => v.mean + finiteStd(v)));
  const r = Math.min(0.45, Math.max(0, room));
  let lower: number;
  let upper: number;
  if (lo < 0 || hi <= 0) {
    const l = Math.min(lo, 0);
    const h = Math.max(hi, 0);
    const pad = ((h - l || 1) * r) / (1 - 2 * r);
    lower = lo < 0 ? l - pad : 0;
    upper = hi > 0 ? h + pad : 0;
  } else {
    if (lo < 0.4 * hi) lower = 0;
    else lower = Math.max(0, lo - 0.6 * (hi - lo || Math.abs(hi) * 0.05));
    upper = hi + ((hi - lower) * r) / (1 - r);
  }
  if (bounds.max !== undefined) upper = Math.min(upper, bounds.max);
  if (bounds.min !== undefined) lower = Math.max(lower, bounds.min);
  const ticks = capTicks(niceTicks(lower, upper, 5), bounds);
  return { ticks, baseline: Math.min(ticks.max, Math.max(ticks.min, 0)) };
}

/**
 * Horizontal offsets of `n` dots across `width`, centred on 0: evenly spread in the given
 * order, so dots of equal value sit side by side instead of on top of each other, and the
 * same runs are always drawn in the same places (no random jitter).
 */
export function dotOffsets(n: number, width: number): number[] {
  if (n <= 1) return n === 1 ? [0] : [];
  return Array.from({ length: n }, (_, i) => -width / 2 + (width * i) / (n - 1));
}

/** "83.12", "0.452", "-0.013": two decimals from 1 up, three below, one from 100. */
export function formatValue(v: number): string {
  const a = Math.abs(v);
  const s = v.toFixed(a >= 100 ? 1 : a >= 1 ? 2 : 3);
  return Number(s) === 0 ? s.replace(/^-/, '') : s;
}

export interface HeadLabelLayout {
  /** Degrees the names are turned (anticlockwise); 0 for straight. */
  angle: number;
  /** Names longer than this many characters are cut with "…". */
  maxChars: number;
  /** Space under the plot for the head names. */
  height: number;
}

/**
 * Head names go straight under the bars, or slanted when they would overlap: steeper when the
 * slots are narrow, and cut short enough not to run off the chart's left edge (`leftRoom`: the
 * space left of the first slot's centre).
 */
export function headLabelLayout(names: string[], slotWidth: number, leftRoom = Infinity): HeadLabelLayout {
  const widest = Math.max(0, ...names.map((n) => textWidth(truncate(n, MAX_HEAD_LABEL), HEAD_FONT)));
  if (widest <= slotWidth - 6) return { angle: 0, maxChars: MAX_HEAD_LABEL, height: 26 };
  const gap = HEAD_FONT * 1.5;
  const angle = slotWidth <= gap ? 90 : Math.max(30, Math.ceil((Math.asin(gap / slotWidth) * 180) / Math.PI));
  const rad = (angle * Math.PI) / 180;
  const fitChars = Math.floor((leftRoom - 4) / Math.max(0.01, Math.cos(rad)) / (HEAD_FONT * 0.6));
  const maxChars = Math.max(6, Math.min(MAX_HEAD_LABEL, fitChars));
  const longest = Math.max(0, ...names.map((n) => textWidth(truncate(n, maxChars), HEAD_FONT)));
  return { angle, maxChars, height: Math.ceil(14 + longest * Math.sin(rad) + HEAD_FONT * Math.cos(rad)) };
}

export function renderBarPanel(metric: BarMetric, heads: BarHead[], box: PlotBox, labels: HeadLabelLayout): string {
  const slot = box.width / Math.max(1, heads.length);
  const barW = Math.min(slot * 0.62, 72);
  const bottom = box.top + box.height;
  const means = heads.map((h) => h.value?.mean).filter((m): m is number => m !== undefined && Number.isFinite(m));
  // The best mean is printed bold, unless every head ties.
  const best = means.length > 1 && Math.min(...means) !== Math.max(...means) ? (metric.higherIsBetter ? Math.max(...means) : Math.min(...means)) : undefined;
  const valueLabels = heads.map((h) => (h.value && Number.isFinite(h.value.mean) ? formatValue(h.value.mean) : 'n/a'));
  const widestValue = Math.max(...valueLabels.map((l) => [...l].length), 1);

  // Value labels sit above the bars, shrinking to fit the slot; when even 10px would overlap
  // the neighbours they are turned upright, and the axis keeps room for them.
  let valueFont = Math.min(12, (slot - 4) / (widestValue * 0.6));
  const upright = valueFont < 10;
  if (upright) valueFont = Math.max(9, Math.min(11, slot * 0.8));
  const labelPx = upright ? widestValue * valueFont * 0.6 + 8 : valueFont + 8;
  // The seeds' dots count as values of zero spread, so the axis reaches every one of them.
  const dots = heads.flatMap((h) => (h.points ?? []).filter((p) => Number.isFinite(p.value)).map((p) => ({ mean: p.value, std: 0, min: p.value, max: p.value, n: 1 })));
  const { ticks, baseline } = barDomain(
    [...heads.flatMap((h) => (h.value ? [h.value] : [])), ...dots],
    labelPx / box.height,
    metric.bounds,
  );
  const y = linearScale(ticks.min, ticks.max, bottom, box.top);
  const clampY = (v: number) => y(Math.min(ticks.max, Math.max(ticks.min, v)));

  const out: string[] = [];
  out.push(`<g ${attrs({ class: 'bar-panel', 'data-metric': metric.name, 'data-y-min': ticks.min, 'data-y-max': ticks.max, 'data-baseline': baseline })}>`);
  out.push(`<rect ${attrs({ class: 'plot-area', x: box.left, y: box.top, width: box.width, height: box.height, fill: 'none' })}/>`);
  out.push(
    `<text ${attrs({ class: 'panel-title', x: box.left, y: box.top - 24, 'font-size': 15, fill: INK })}><tspan font-weight="bold">${escapeXml(metric.label)}</tspan>` +
      `<tspan ${attrs({ dx: 8, 'font-size': 11, fill: MUTED })}>${metric.higherIsBetter ? 'higher' : 'lower'} is better</tspan></text>`,
  );
  out.push(yAxis(ticks, y, box));
  if (ticks.min > 0) out.push(axisBreak(box, y(ticks.min + ticks.step / 2)));

  heads.forEach((head, i) => {
    const cx = box.left + slot * (i + 0.5);
    const v = head.value;
    const name = truncate(head.name, labels.maxChars);
    if (labels.angle > 0) {
      const ly = bottom + 14;
      out.push(text(cx, ly, name, { class: 'head-label', 'text-anchor': 'end', 'font-size': HEAD_FONT, fill: INK, transform: `rotate(-${labels.angle} ${num(cx)} ${num(ly)})` }));
    } else {
      out.push(text(cx, bottom + 17, name, { class: 'head-label', 'text-anchor': 'middle', 'font-size': HEAD_FONT, fill: INK }));
    }
    if (!v || !Number.isFinite(v.mean)) {
      out.push(text(cx, y(baseline) - 6, 'n/a', { class: 'value-label na', 'text-anchor': 'middle', 'font-size': Math.min(valueFont, 11), 'font-style': 'italic', fill: MUTED }));
      return;
    }
    const std = finiteStd(v);
    const points = (head.points ?? []).filter((p) => Number.isFinite(p.value)).sort((a, b) => a.seed - b.seed);
    // The value label clears the error bar and every dot.
    const reachHi = Math.max(v.mean + std, ...points.map((p) => p.value));
    const reachLo = Math.min(v.mean - std, ...points.map((p) => p.value));
    const y0 = y(baseline);
    const y1 = clampY(v.mean);
    const tip = `${head.name}: ${metric.label} ${formatValue(v.mean)} ± ${formatValue(std)} sample std (n − 1; n=${v.n}, min ${formatValue(v.min)}, max ${formatValue(v.max)})`;
    out.push(
      `<rect ${attrs({ class: 'bar', 'data-head': head.name, 'data-mean': v.mean, x: cx - barW / 2, y: Math.min(y0, y1), width: barW, height: Math.abs(y1 - y0), fill: head.color })}>` +
        `<title>${escapeXml(tip)}</title></rect>`,
    );
    if (std > 0) {
      const top = clampY(v.mean + std);
      const low = clampY(v.mean - std);
      const cap = Math.min(barW * 0.4, 14) / 2;
      out.push(
        `<g ${attrs({ class: 'error-bar', 'data-head': head.name, stroke: INK, 'stroke-width': 1.4 })}>` +
          `<line ${attrs({ x1: cx, y1: top, x2: cx, y2: low })}/>` +
          `<line ${attrs({ x1: cx - cap, y1: top, x2: cx + cap, y2: top })}/>` +
          `<line ${attrs({ x1: cx - cap, y1: low, x2: cx + cap, y2: low })}/>` +
          '</g>',
      );
    }
    if (points.length) {
      const offsets = dotOffsets(points.length, Math.min(barW * 0.6, 40));
      out.push(`<g ${attrs({ class: 'seed-dots', 'data-head': head.name })}>`);
      points.forEach((p, k) => {
        const tip = `${head.name}, seed ${p.seed}: ${metric.label} ${formatValue(p.value)}${p.failed ? ' (failed: one class for every dev example)' : ''}`;
        out.push(
          `<circle ${attrs({
            class: p.failed ? 'seed-dot failed' : 'seed-dot', 'data-seed': p.seed, 'data-value': String(p.value), cx: cx + offsets[k]!, cy: clampY(p.value), r: 3.2,
            fill: p.failed ? '#ffffff' : INK, stroke: p.failed ? INK : '#ffffff', 'stroke-width': p.failed ? 1.4 : 0.8,
          })}><title>${escapeXml(tip)}</title></circle>`,
        );
      });
      out.push('</g>');
    }
    const above = v.mean >= baseline;
    const weight = v.mean === best ? 'bold' : undefined;
    const common = { class: 'value-label', 'font-size': valueFont, fill: INK, 'font-weight': weight };
    if (upright) {
      const ly = above ? clampY(reachHi) - 5 : clampY(reachLo) + 5;
      out.push(text(cx, ly, valueLabels[i], { ...common, 'text-anchor': above ? 'start' : 'end', dy: '0.35em', transform: `rotate(-90 ${num(cx)} ${num(ly)})` }));
    } else {
      const ly = above ? clampY(reachHi) - 6 : clampY(reachLo) + valueFont + 3;
      out.push(text(cx, ly, valueLabels[i], { ...common, 'text-anchor': 'middle' }));
    }
  });
  out.push('</g>');
  return out.join('\n');
}
