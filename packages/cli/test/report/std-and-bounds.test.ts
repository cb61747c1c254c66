// The compare report says which std it shows (the sample std, n − 1) in the table header, the
// summary CSV's column names and the chart, and its axes stop where a metric's values stop
// (accuracy, F1 and MCC at 1), however far mean + std reaches.
import { barDomain, renderCompareSvg } from '../../src/report/svg-chart';
import { chartData, formatCompareTable, summariesToCsv, summarizeRuns } from '../../src/training/aggregate';
import type { RunResult } from '../../src/training/run-training';
import { byClass, numAttr, parseXml, textOf } from './xml';

/** A finished run with these best dev metrics and a learning curve that reaches them. */
function run(head: string, seed: number, metrics: Record<string, number>): RunResult {
  const history = [1, 2, 3].map((i) => ({ step: i * 10, metrics: Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, v - (3 - i) * 0.01])) }));
  return {
    head, seed, data: 'spam', mainMetric: 'f1', best: history[2], history, losses: [0.7, 0.3], steps: 30, trainSeconds: 12,
    stoppedEarly: false, bestModel: '/tmp/best', backend: 'wasm',
  } as unknown as RunResult;
}

// F1 close to 1 with a wide spread: mean + std is above 1.
const runs = [
  run('cls', 1, { accuracy: 0.97, f1: 0.99, mcc: 0.95 }), run('cls', 2, { accuracy: 0.9, f1: 0.9, mcc: 0.8 }), run('cls', 3, { accuracy: 1, f1: 1, mcc: 1 }),
  run('mha', 1, { accuracy: 0.99, f1: 1, mcc: 0.98 }), run('mha', 2, { accuracy: 0.93, f1: 0.92, mcc: 0.86 }), run('mha', 3, { accuracy: 1, f1: 1, mcc: 1 }),
];
const summaries = summarizeRuns(runs, ['cls', 'mha']);

describe('the std is named as the sample std (n − 1)', () => {
  it('in the table header', () => {
    const header = formatCompareTable(summaries, 'f1').split('\n')[0]!;
    expect(header).toMatch(/^head +runs +failed +F1 mean ± std \(n−1\) +median +min +max +Accuracy mean ± std \(n−1\) /);
  });

  it('in the summary CSV, whose numbers are the summaries', () => {
    const [header, cls] = summariesToCsv(summaries).trimEnd().split('\n');
    expect(header).toBe('head,runs,accuracy_mean,accuracy_std_sample_n-1,accuracy_min,accuracy_max,f1_mean,f1_std_sample_n-1,f1_min,f1_max,' +
      'mcc_mean,mcc_std_sample_n-1,mcc_min,mcc_max,train_seconds_mean,failed_runs,failed_unknown,accuracy_median,f1_median,mcc_median');
    const cells = cls!.split(',');
    expect(cells.slice(0, 2)).toEqual(['cls', '3']);
    const f1 = [0.99, 0.9, 1];
    const mean = (0.99 + 0.9 + 1) / 3;
    const sampleStd = Math.sqrt(f1.reduce((a, v) => a + (v - mean) ** 2, 0) / 2);
    expect(Number(cells[6])).toBeCloseTo(mean, 12);
    expect(Number(cells[7])).toBeCloseTo(sampleStd, 12);
  });

  it('in the chart, under the title and in each bar tooltip', () => {
    const root = parseXml(renderCompareSvg(chartData('spam, 3 seeds', runs, summaries, 'f1')));
    expect(textOf(byClass(root, 'chart-subtitle')[0]!)).toBe('Bars: mean over seeds; error bars: ± 1 sample std (n − 1), n = 3 seeds per head.');
    const tip = textOf(byClass(root, 'bar')[0]!);
    expect(tip).toMatch(/ ± \d\.\d+ sample std \(n − 1; n=3, /);
  });
});

describe('axes of bounded metrics stop at 1', () => {
  const root = parseXml(renderCompareSvg(chartData('spam, 3 seeds', runs, summaries, 'f1')));
  const panels = byClass(root, 'bar-panel');

  it('every bar panel (accuracy, F1, MCC), though mean + std is above 1', () => {
    expect(summaries[0]!.metrics.f1!.mean + summaries[0]!.metrics.f1!.std).toBeGreaterThan(1);
    expect(panels.map((p) => p.attrs['data-metric'])).toEqual(['accuracy', 'f1', 'mcc']);
    for (const p of panels) expect(numAttr(p, 'data-y-max')).toBe(1);
  });

  it('the learning-curve panel, whose curves reach 1', () => {
    const [curve] = byClass(root, 'curve-panel');
    expect(numAttr(curve!, 'data-y-max')).toBe(1);
  });

  it('barDomain caps at the bounds it is given, and only then', () => {
    const near1 = [{ mean: 0.95, std: 0.06, min: 0.9, max: 1, n: 3 }];
    expect(barDomain(near1).ticks.max).toBeGreaterThan(1);
    expect(barDomain(near1, 0.1, { max: 1 }).ticks.max).toBe(1);
    const mcc = [{ mean: -0.9, std: 0.2, min: -1, max: -0.7, n: 3 }];
    expect(barDomain(mcc).ticks.min).toBeLessThan(-1);
    expect(barDomain(mcc, 0.1, { min: -1, max: 1 }).ticks.min).toBe(-1);
  });
});
