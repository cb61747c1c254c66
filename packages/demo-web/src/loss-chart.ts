import { svgEl } from './dom.js';

export interface ChartBox {
  width: number;
  height: number;
  /** Space for the axis labels. */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const CHART_BOX: ChartBox = { width: 640, height: 240, left: 48, right: 12, top: 12, bottom: 28 };

/** "Nice" round upper bound for the y axis (1, 2 or 5 × 10^n). */
export function niceCeil(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

/**
 * Where each loss goes: x by step over the whole run (1..totalSteps), y from 0 to a round
 * number above the largest loss so far.
 */
export function chartPoints(losses: number[], totalSteps: number, box: ChartBox = CHART_BOX): { x: number; y: number }[] {
  const yMax = niceCeil(Math.max(...losses, 0));
  const w = box.width - box.left - box.right;
  const h = box.height - box.top - box.bottom;
  const steps = Math.max(totalSteps, losses.length, 2);
  return losses.map((loss, i) => ({
    x: box.left + (w * i) / (steps - 1),
    y: box.top + h * (1 - Math.min(Math.max(loss, 0), yMax) / yMax),
  }));
}

/**
 * The live training-loss chart (SVG): one point per optimizer step, redrawn as each step
 * reports. The values are also on the element (data-losses) and on each point (data-loss).
 */
export class LossChart {
  private losses: number[] = [];
  private totalSteps = 1;

  constructor(private readonly svg: SVGSVGElement, private readonly box: ChartBox = CHART_BOX) {
    this.draw();
  }

  reset(totalSteps: number): void {
    this.losses = [];
    this.totalSteps = totalSteps;
    this.draw();
  }

  add(loss: number): void {
    this.losses.push(loss);
    this.draw();
  }

  private draw(): void {
    const { box, losses } = this;
    const yMax = niceCeil(Math.max(...losses, 0));
    const x0 = box.left;
    const x1 = box.width - box.right;
    const y0 = box.height - box.bottom;
    const y1 = box.top;
    const nodes: SVGElement[] = [];
    for (const f of [0, 0.25, 0.5, 0.75, 1]) {
      const y = y0 - (y0 - y1) * f;
      nodes.push(svgEl('line', { class: f === 0 ? 'axis' : 'grid', x1: x0, x2: x1, y1: y, y2: y }));
      nodes.push(svgEl('text', { x: x0 - 6, y: y + 4, 'text-anchor': 'end' }, String(Number((yMax * f).toPrecision(3)))));
    }
    nodes.push(svgEl('line', { class: 'axis', x1: x0, x2: x0, y1: y0, y2: y1 }));
    nodes.push(svgEl('text', { x: x0, y: box.height - 8 }, 'step 1'));
    nodes.push(svgEl('text', { x: x1, y: box.height - 8, 'text-anchor': 'end' }, `step ${this.totalSteps}`));
    nodes.push(svgEl('text', { x: (x0 + x1) / 2, y: box.height - 8, 'text-anchor': 'middle' }, losses.length ? `training loss · step ${losses.length}: ${losses[losses.length - 1].toFixed(4)}` : 'training loss'));
    const points = chartPoints(losses, this.totalSteps, box);
    if (points.length > 1) nodes.push(svgEl('polyline', { class: 'line', points: points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ') }));
    points.forEach((p, i) => {
      nodes.push(svgEl('circle', { class: 'point', cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: 2.5, 'data-testid': 'loss-point', 'data-step': i + 1, 'data-loss': losses[i] },
        svgEl('title', {}, `step ${i + 1}: ${losses[i].toFixed(4)}`)));
    });
    this.svg.replaceChildren(...nodes);
    this.svg.dataset.points = String(losses.length);
    this.svg.dataset.totalSteps = String(this.totalSteps);
    this.svg.dataset.losses = JSON.stringify(losses);
  }
}
