/** "Nice" axis ticks: steps of 1, 2 or 5 × 10^k, with the domain widened to whole steps. */

export interface Ticks {
  /** First tick: the domain's lower end. */
  min: number;
  /** Last tick: the domain's upper end. */
  max: number;
  step: number;
  values: number[];
}

const E10 = Math.sqrt(50);
const E5 = Math.sqrt(10);
const E2 = Math.sqrt(2);

/** The 1/2/5 × 10^k step nearest (in log terms) to `span / count`. */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = Math.floor(Math.log10(raw));
  const error = raw / 10 ** power;
  const factor = error >= E10 ? 10 : error >= E5 ? 5 : error >= E2 ? 2 : 1;
  return factor * 10 ** power;
}

/** Decimals needed to print multiples of `step` exactly (0.05 → 2, 5 → 0). */
export function stepDecimals(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

function round(value: number, decimals: number): number {
  const r = Number(value.toFixed(Math.min(20, decimals)));
  return Object.is(r, -0) ? 0 : r;
}

/**
 * About `count` nice ticks covering [lo, hi]. A zero-width or non-finite range is widened so
 * the result always has at least two ticks.
 */
export function niceTicks(lo: number, hi: number, count = 5): Ticks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    if (Number.isFinite(lo)) hi = lo;
    else if (Number.isFinite(hi)) lo = hi;
    else [lo, hi] = [0, 1];
  }
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
  const step = niceStep(hi - lo, count);
  const decimals = stepDecimals(step);
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const values: number[] = [];
  for (let i = first; i <= last; i++) values.push(round(i * step, decimals));
  return { min: values[0], max: values[values.length - 1], step, values };
}

/** A tick label with as many decimals as the step needs. */
export function formatTick(value: number, step: number): string {
  return round(value, stepDecimals(step)).toFixed(stepDecimals(step));
}

/** The range a metric's values can take (accuracy and F1: 0..1, MCC: -1..1): axes stop there. */
export interface MetricBounds {
  min?: number;
  max?: number;
}

/** The ticks without those a nice step put past a metric's bounds (at least two stay). */
export function capTicks(ticks: Ticks, bounds: MetricBounds = {}): Ticks {
  const inside = (v: number) => (bounds.max === undefined || v <= bounds.max + 1e-12) && (bounds.min === undefined || v >= bounds.min - 1e-12);
  const values = ticks.values.filter(inside);
  if (values.length < 2 || values.length === ticks.values.length) return ticks;
  return { ...ticks, min: values[0], max: values[values.length - 1], values };
}
