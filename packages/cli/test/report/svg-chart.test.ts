import { barDomain, meanCurve, PALETTE, renderCompareSvg, type CompareChartData } from '../../src/report/svg-chart';
import { fakeCurves, realisticCompare, summary } from './fixtures';
import { byClass, findAll, hasClass, numAttr, parseXml, textOf, type XmlNode } from './xml';

function render(data: CompareChartData) {
  const svg = renderCompareSvg(data);
  return { svg, root: parseXml(svg) };
}

function panel(root: XmlNode, kind: 'bar-panel' | 'curve-panel', metric: string): XmlNode {
  const found = byClass(root, kind).filter((p) => p.attrs['data-metric'] === metric);
  expect(found).toHaveLength(1);
  return found[0];
}

function plotArea(p: XmlNode) {
  const [r] = byClass(p, 'plot-area');
  return { top: numAttr(r, 'y'), height: numAttr(r, 'height'), left: numAttr(r, 'x'), width: numAttr(r, 'width') };
}

/** The pixel y of `v` in a panel, from the axis range the panel declares. */
function yOf(p: XmlNode, v: number): number {
  const { top, height } = plotArea(p);
  const lo = numAttr(p, 'data-y-min');
  const hi = numAttr(p, 'data-y-max');
  return top + (height * (hi - v)) / (hi - lo);
}

function points(polyline: XmlNode): [number, number][] {
  return polyline.attrs.points.split(' ').map((pt) => pt.split(',').map(Number) as [number, number]);
}

const oneMetric = (name = 'accuracy', higherIsBetter = true) => [{ name, label: name.toUpperCase(), higherIsBetter }];

describe('renderCompareSvg: a realistic compare (4 heads × 2 metrics × 3 seeds)', () => {
  const data = realisticCompare();
  const { svg, root } = render(data);

  it('is one well-formed, self-contained SVG about 900 wide', () => {
    expect(root.tag).toBe('svg');
    expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(numAttr(root, 'width')).toBe(900);
    expect(root.attrs.viewBox).toBe(`0 0 900 ${root.attrs.height}`);
    expect(svg).not.toMatch(/<style|@import|url\(|href=|<link|<script|<image/i);
    // Nothing drawn outside the canvas.
    for (const n of findAll(root, (e) => 'x' in e.attrs && e.tag !== 'rect')) {
      expect(numAttr(n, 'x')).toBeGreaterThanOrEqual(0);
      expect(numAttr(n, 'x')).toBeLessThanOrEqual(900);
    }
  });

  it('says under the title what the bars show', () => {
    expect(textOf(byClass(root, 'chart-subtitle')[0])).toBe('Bars: mean over seeds; error bars: ± 1 sample std (n − 1), n = 3 seeds per head.');
  });

  it('draws one bar per head × metric, each head in one color everywhere', () => {
    const bars = byClass(root, 'bar');
    expect(bars).toHaveLength(data.heads.length * data.metrics.length);
    for (const m of data.metrics) {
      const p = panel(root, 'bar-panel', m.name);
      const inPanel = byClass(p, 'bar');
      expect(inPanel.map((b) => b.attrs['data-head'])).toEqual(data.heads.map((h) => h.name));
      inPanel.forEach((b, i) => expect(b.attrs.fill).toBe(PALETTE[i]));
    }
    const legend = byClass(root, 'legend-entry');
    expect(legend.map((e) => e.attrs['data-head'])).toEqual(data.heads.map((h) => h.name));
    legend.forEach((e, i) => {
      expect(findAll(e, (n) => n.tag === 'rect')[0].attrs.fill).toBe(PALETTE[i]);
      expect(textOf(e)).toBe(data.heads[i].name);
    });
  });

  it('makes bar heights proportional to the means, measured from the axis baseline', () => {
    for (const m of data.metrics) {
      const p = panel(root, 'bar-panel', m.name);
      const { height, top } = plotArea(p);
      const lo = numAttr(p, 'data-y-min');
      const hi = numAttr(p, 'data-y-max');
      const base = numAttr(p, 'data-baseline');
      for (const bar of byClass(p, 'bar')) {
        const mean = data.heads.find((h) => h.name === bar.attrs['data-head'])!.values[m.name].mean;
        expect(numAttr(bar, 'height')).toBeCloseTo(((mean - base) / (hi - lo)) * height, 1);
        // The bar stands on the baseline (the axis bottom here).
        expect(numAttr(bar, 'y') + numAttr(bar, 'height')).toBeCloseTo(top + height, 1);
        expect(numAttr(bar, 'y')).toBeCloseTo(yOf(p, mean), 1);
      }
    }
  });

  it('starts the accuracy axis at a nice tick below the lowest mean − std, not at 0', () => {
    const p = panel(root, 'bar-panel', 'accuracy');
    const lo = numAttr(p, 'data-y-min');
    const lowest = Math.min(...data.heads.map((h) => h.values.accuracy.mean - h.values.accuracy.std));
    expect(lo).toBeGreaterThan(50);
    expect(lo).toBeLessThanOrEqual(lowest);
    expect(numAttr(p, 'data-baseline')).toBe(lo);
    const ticks = byClass(p, 'tick-label').map((t) => Number(textOf(t)));
    expect(ticks[0]).toBe(lo);
    expect(ticks[ticks.length - 1]).toBe(numAttr(p, 'data-y-max'));
    const steps = new Set(ticks.slice(1).map((t, i) => +(t - ticks[i]).toFixed(9)));
    expect(steps.size).toBe(1);
    // A truncated axis carries a break mark.
    expect(byClass(p, 'axis-break')).toHaveLength(1);
  });

  it('draws ± std error bars with caps, from mean − std to mean + std', () => {
    for (const m of data.metrics) {
      const p = panel(root, 'bar-panel', m.name);
      const errs = byClass(p, 'error-bar');
      expect(errs).toHaveLength(data.heads.length);
      for (const e of errs) {
        const v = data.heads.find((h) => h.name === e.attrs['data-head'])!.values[m.name];
        const lines = findAll(e, (n) => n.tag === 'line');
        expect(lines).toHaveLength(3); // stem + two caps
        const [stem] = lines;
        expect(numAttr(stem, 'y1')).toBeCloseTo(yOf(p, v.mean + v.std), 1);
        expect(numAttr(stem, 'y2')).toBeCloseTo(yOf(p, v.mean - v.std), 1);
      }
    }
  });

  it('prints each mean above its bar, the best one bold', () => {
    const p = panel(root, 'bar-panel', 'accuracy');
    const labels = byClass(p, 'value-label');
    const means = data.heads.map((h) => h.values.accuracy.mean);
    expect(labels.map(textOf)).toEqual(means.map((m) => m.toFixed(2)));
    const best = means.indexOf(Math.max(...means));
    labels.forEach((l, i) => expect(l.attrs['font-weight']).toBe(i === best ? 'bold' : undefined));
    const bars = byClass(p, 'bar');
    labels.forEach((l, i) => expect(numAttr(l, 'y')).toBeLessThan(numAttr(bars[i], 'y')));
  });

  it('escapes text: a head named with < & > survives as text', () => {
    expect(svg).toContain('&lt;L=3 &amp; w/ mask&gt;');
    expect(svg).not.toContain('<L=3');
    expect(byClass(root, 'legend-entry').map(textOf)).toContain('mha-max-seq-3 <L=3 & w/ mask>');
  });

  it('draws one mean learning curve per head, averaged over seeds, with thin per-seed lines', () => {
    const p = panel(root, 'curve-panel', 'accuracy');
    const means = byClass(p, 'mean-curve');
    expect(means.map((m) => m.attrs['data-head'])).toEqual(data.heads.map((h) => h.name));
    expect(byClass(p, 'seed-curve')).toHaveLength(data.heads.length * 3);
    const { left, width } = plotArea(p);
    const x0 = numAttr(p, 'data-x-min');
    const x1 = numAttr(p, 'data-x-max');
    data.heads.forEach((head, h) => {
      const pts = points(means[h]);
      const steps = head.curves[0].map((c) => c.step);
      expect(pts).toHaveLength(steps.length);
      expect(byClass(findAll(p, (n) => hasClass(n, 'head-curve') && n.attrs['data-head'] === head.name)[0], 'curve-point')).toHaveLength(steps.length);
      for (const k of [0, 5, steps.length - 1]) {
        const mean = head.curves.reduce((a, c) => a + c[k].value, 0) / head.curves.length;
        expect(pts[k][1]).toBeCloseTo(yOf(p, mean), 1);
        expect(pts[k][0]).toBeCloseTo(left + (width * (steps[k] - x0)) / (x1 - x0), 1);
      }
    });
  });
});

describe('renderCompareSvg: edge cases', () => {
  const heads = (n: number, seeds: number, values: (i: number) => number[]) =>
    Array.from({ length: n }, (_, i) => ({
      name: `head-${i}`,
      values: { accuracy: summary(values(i)) },
      curves: fakeCurves(0.8, seeds, 100, 10, i),
    }));

  it('handles negative means (MCC): bars hang from zero, and the axis spans both signs', () => {
    const { root } = render({
      title: 'CoLA',
      metrics: [{ name: 'mcc', label: 'MCC', higherIsBetter: true }],
      heads: [
        { name: 'a', values: { mcc: summary([-0.12, -0.08, -0.1]) }, curves: [] },
        { name: 'b', values: { mcc: summary([0.21, 0.25, 0.23]) }, curves: [] },
      ],
      curveMetric: { name: 'mcc', label: 'MCC' },
    });
    const p = panel(root, 'bar-panel', 'mcc');
    expect(numAttr(p, 'data-baseline')).toBe(0);
    expect(numAttr(p, 'data-y-min')).toBeLessThan(-0.12);
    expect(numAttr(p, 'data-y-max')).toBeGreaterThan(0.25);
    const [neg, pos] = byClass(p, 'bar');
    const zero = yOf(p, 0);
    expect(numAttr(neg, 'y')).toBeCloseTo(zero, 1); // hangs down from 0
    expect(numAttr(neg, 'y') + numAttr(neg, 'height')).toBeCloseTo(yOf(p, -0.1), 1);
    expect(numAttr(pos, 'y') + numAttr(pos, 'height')).toBeCloseTo(zero, 1);
    expect(numAttr(neg, 'height') / numAttr(pos, 'height')).toBeCloseTo(0.1 / 0.23, 2);
    // The negative value's label goes under its error bar; the ticks include 0 and negatives.
    const [negLabel] = byClass(p, 'value-label');
    expect(textOf(negLabel)).toBe('-0.100');
    expect(numAttr(negLabel, 'y')).toBeGreaterThan(yOf(p, -0.12));
    const ticks = byClass(p, 'tick-label').map((t) => Number(textOf(t)));
    expect(ticks).toContain(0);
    expect(ticks.some((t) => t < 0)).toBe(true);
    expect(byClass(p, 'axis-break')).toHaveLength(0);
  });

  it('one head, one seed: a bar but no error bar, no bold, no seed lines', () => {
    const { root } = render({ title: 't', metrics: oneMetric(), heads: heads(1, 1, () => [0.8]), curveMetric: { name: 'accuracy', label: 'Accuracy' } });
    expect(byClass(root, 'bar')).toHaveLength(1);
    expect(byClass(root, 'error-bar')).toHaveLength(0);
    expect(byClass(root, 'value-label')[0].attrs['font-weight']).toBeUndefined();
    expect(byClass(root, 'seed-curve')).toHaveLength(0);
    expect(byClass(root, 'mean-curve')).toHaveLength(1);
    expect(byClass(root, 'legend-entry')).toHaveLength(1);
    expect(textOf(byClass(root, 'chart-subtitle')[0])).toBe('Bars: one seed per head (no error bars).');
  });

  it('draws error bars only for heads whose std is above zero', () => {
    const { root } = render({ title: 't', metrics: oneMetric(), heads: heads(3, 2, (i) => (i === 1 ? [0.8, 0.8] : [0.7, 0.8 + i / 100])), curveMetric: { name: 'accuracy', label: 'A' } });
    expect(byClass(root, 'error-bar').map((e) => e.attrs['data-head'])).toEqual(['head-0', 'head-2']);
  });

  it('skips NaN and missing values with an "n/a" note', () => {
    const { root } = render({
      title: 't',
      metrics: [...oneMetric(), { name: 'f1', label: 'F1', higherIsBetter: true }],
      heads: [
        { name: 'ok', values: { accuracy: summary([0.8, 0.82]), f1: summary([0.7, 0.75]) }, curves: [] },
        { name: 'broken', values: { accuracy: summary([NaN]) }, curves: [] },
      ],
      curveMetric: { name: 'accuracy', label: 'A' },
    });
    for (const metric of ['accuracy', 'f1']) {
      const p = panel(root, 'bar-panel', metric);
      expect(byClass(p, 'bar').map((b) => b.attrs['data-head'])).toEqual(['ok']);
      expect(byClass(p, 'na').map(textOf)).toEqual(['n/a']);
      expect(byClass(p, 'head-label').map(textOf)).toEqual(['ok', 'broken']);
    }
    expect(parseXml(renderCompareSvg({ title: 't', metrics: oneMetric(), heads: [], curveMetric: { name: 'a', label: 'a' } })).tag).toBe('svg');
  });

  it('leaves the learning-curve panel out when there are no curves, and skips NaN points', () => {
    const base = { title: 't', metrics: oneMetric(), curveMetric: { name: 'accuracy', label: 'A' } };
    const none = render({ ...base, heads: heads(2, 3, () => [0.8]).map((h) => ({ ...h, curves: [[], []] })) });
    expect(byClass(none.root, 'curve-panel')).toHaveLength(0);
    const withCurves = render({ ...base, heads: heads(2, 3, () => [0.8]) });
    expect(numAttr(none.root, 'height')).toBeLessThan(numAttr(withCurves.root, 'height'));

    const curves = [
      [
        { step: 10, value: 0.5 },
        { step: 20, value: NaN },
        { step: 30, value: 0.7 },
      ],
      [
        { step: 10, value: 0.6 },
        { step: 20, value: 0.6 },
        { step: 30, value: 0.9 },
      ],
    ];
    const { root } = render({ ...base, heads: [{ name: 'h', values: { accuracy: summary([0.8]) }, curves }] });
    const p = panel(root, 'curve-panel', 'accuracy');
    const pts = points(byClass(p, 'mean-curve')[0]);
    expect(pts).toHaveLength(3);
    expect(pts[1][1]).toBeCloseTo(yOf(p, 0.6), 1); // only the finite seed counts
    expect(points(byClass(p, 'seed-curve')[0])).toHaveLength(2);
    // A head with no curves is simply absent from the panel.
    const mixed = render({ ...base, heads: [{ name: 'h', values: {}, curves }, { name: 'flat', values: {}, curves: [] }] });
    expect(byClass(mixed.root, 'mean-curve').map((c) => c.attrs['data-head'])).toEqual(['h']);
  });

  it('escapes the title, labels and names everywhere, and stays well-formed', () => {
    const nasty = `<head&name> "q" 'a'`;
    const { svg, root } = render({
      title: `A <b>title</b> & more`,
      metrics: [{ name: 'm&m', label: 'M<1>', higherIsBetter: false }],
      heads: [{ name: nasty, values: { 'm&m': summary([1, 2]) }, curves: fakeCurves(0.8, 2, 50, 10, 1) }],
      curveMetric: { name: 'm&m', label: 'L & "x"' },
    });
    expect(svg).not.toMatch(/<head|<b>|<1>/);
    expect(svg).toContain('&lt;head&amp;name&gt; &quot;q&quot; &apos;a&apos;');
    expect(byClass(root, 'legend-entry').map(textOf)).toEqual([nasty]);
    expect(byClass(root, 'bar')[0].attrs['data-head']).toBe(nasty);
    expect(textOf(byClass(root, 'chart-title')[0])).toBe('A <b>title</b> & more');
    expect(byClass(root, 'panel-title').map(textOf)).toEqual(['M<1>lower is better', 'Learning curves: L & "x"dev set; thick: mean over seeds, thin: each seed']);
  });

  it('gives 9+ heads cycled colors and slants crowded head names so they do not overlap', () => {
    const names = Array.from({ length: 10 }, (_, i) => `a-rather-long-head-name-${i}`);
    const { root } = render({
      title: 't',
      metrics: [...oneMetric(), { name: 'mcc', label: 'MCC', higherIsBetter: true }, { name: 'f1', label: 'F1', higherIsBetter: true }],
      heads: names.map((name, i) => ({ name, values: { accuracy: summary([0.8 + i / 100, 0.81]), mcc: summary([0.3]), f1: summary([0.5]) }, curves: [] })),
      curveMetric: { name: 'accuracy', label: 'A' },
    });
    const bars = byClass(panel(root, 'bar-panel', 'accuracy'), 'bar');
    expect(bars[8].attrs.fill).toBe(bars[0].attrs.fill);
    const labels = byClass(root, 'head-label');
    expect(labels.every((l) => /rotate\(-\d+/.test(l.attrs.transform ?? ''))).toBe(true);
    expect(labels.every((l) => [...textOf(l)].length <= 22)).toBe(true);
  });
});

describe('barDomain', () => {
  const v = (mean: number, std = 0) => ({ mean, std, min: mean, max: mean, n: 3 });

  it('starts far-from-zero values at a nice tick below mean − std', () => {
    const d = barDomain([v(83.9, 1.2), v(86.1, 0.7)]);
    expect(d.ticks.min).toBeGreaterThan(70);
    expect(d.ticks.min).toBeLessThanOrEqual(82.7);
    expect(d.ticks.max).toBeGreaterThanOrEqual(86.8);
    expect(d.baseline).toBe(d.ticks.min);
  });

  it('starts at zero for values near zero, and spans zero for negatives', () => {
    expect(barDomain([v(0.05, 0.02), v(0.3)]).ticks.min).toBe(0);
    const neg = barDomain([v(-0.2, 0.05), v(0.1)]);
    expect(neg.ticks.min).toBeLessThan(-0.25);
    expect(neg.ticks.max).toBeGreaterThan(0.1);
    expect(neg.baseline).toBe(0);
    const allNeg = barDomain([v(-0.2), v(-0.4)]);
    expect(allNeg.ticks.max).toBe(0);
    expect(allNeg.baseline).toBe(0);
  });

  it('copes with equal values, NaN and nothing at all', () => {
    const same = barDomain([v(0.5), v(0.5)]);
    expect(same.ticks.min).toBeLessThan(0.5);
    expect(same.ticks.max).toBeGreaterThan(0.5);
    expect(barDomain([v(NaN)]).ticks.values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(barDomain([]).baseline).toBe(0);
  });
});

describe('meanCurve', () => {
  it('averages seeds at equal steps, sorted by step', () => {
    expect(
      meanCurve([
        [
          { step: 20, value: 0.6 },
          { step: 10, value: 0.2 },
        ],
        [
          { step: 10, value: 0.4 },
          { step: 20, value: 0.8 },
        ],
      ]),
    ).toEqual([
      { step: 10, value: expect.closeTo(0.3, 12), n: 2 },
      { step: 20, value: expect.closeTo(0.7, 12), n: 2 },
    ]);
    expect(meanCurve([])).toEqual([]);
  });
});
