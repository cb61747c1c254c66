// A compare's statistics from fixed runs: per head the median and the failed runs (stuck at one
// class), and every head against the baseline on the main metric (mean difference with its
// bootstrap CI, paired t / Wilcoxon or Welch, ASO ε_min, a verdict) in the printed table,
// summary.csv, results.json and the chart (a dot per seed, a CI per head against a zero line).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../../src/command';
import { renderCompareSvg } from '../../src/report/svg-chart';
import { chartData, formatCompareTable, summariesToCsv, summarizeRuns } from '../../src/training/aggregate';
import { resolveBaseline } from '../../src/training/baseline';
import { compareWithBaseline, pairBySeed } from '../../src/training/compare-statistics';
import { formatComparisonTable } from '../../src/training/comparison-table';
import { writeCompareReport } from '../../src/training/compare-report';
import { countFailedRuns, runFailed } from '../../src/training/failed-runs';
import { tempDir } from '../run-cli';
import { ONE_CLASS, runResult } from './run-fixtures';
import { byClass, numAttr, parseXml, textOf } from './xml';

const SEEDS = [1, 2, 3, 4, 5];
const CLS = [0.8, 0.82, 0.79, 0.81, 0.83];
/** Per seed: `up` is clearly higher than cls, `down` clearly lower, `near` within noise, `same` identical. */
const OFFSETS: Record<string, number[]> = {
  cls: [0, 0, 0, 0, 0],
  up: [0.05, 0.06, 0.045, 0.055, 0.052],
  down: [-0.04, -0.05, -0.035, -0.06, -0.045],
  near: [0.01, -0.012, 0.004, -0.006, 0.003],
  same: [0, 0, 0, 0, 0],
};
const HEADS = Object.keys(OFFSETS);
// cls's seed 3 collapsed to one class; the others predict both.
const runs = HEADS.flatMap((head) => SEEDS.map((seed, i) =>
  runResult(head, seed, { accuracy: CLS[i]! + OFFSETS[head]![i]! }, head === 'cls' && seed === 3 ? ONE_CLASS : undefined)));
const summaries = summarizeRuns(runs, HEADS);
const comparison = compareWithBaseline(runs, HEADS, 'accuracy', 'cls');
const byHead = (head: string) => comparison.heads.find((h) => h.head === head)!;

describe('every head against the baseline', () => {
  it('covers every head but the baseline, in --heads order, paired by seed', () => {
    expect(comparison).toMatchObject({ baseline: 'cls', metric: 'accuracy', higherIsBetter: true, alpha: 0.05, seed: 0 });
    expect(comparison.heads.map((h) => h.head)).toEqual(['up', 'down', 'near', 'same']);
    for (const h of comparison.heads) expect({ paired: h.paired, n: h.n, baselineRuns: h.baselineRuns }).toEqual({ paired: true, n: 5, baselineRuns: 5 });
    expect(comparison.tests.paired.tTest).toBe('paired t-test');
  });

  it('a head whose every seed is clearly higher is "better (significant at α=0.05)"', () => {
    const up = byHead('up');
    expect(up.verdict).toBe('better');
    expect(up.verdictText).toBe('better (significant at α=0.05)');
    expect(up.difference.estimate).toBeCloseTo(OFFSETS.up!.reduce((a, b) => a + b) / 5, 12);
    expect(up.difference.low).toBeGreaterThan(0);
    expect(up.difference.high).toBeLessThanOrEqual(0.06 + 1e-12);
    expect(up.tTest.pValue).toBeLessThan(0.05);
    expect(up.wilcoxon!.pValue).toBeGreaterThan(0); // 5 pairs: the exact test cannot go below 1/16
    expect(up.asoEpsMin).toBeLessThan(0.5);
  });

  it('one clearly lower is "worse (significant…)", one within the noise or identical "no evidence"', () => {
    expect(byHead('down').verdictText).toBe('worse (significant at α=0.05)');
    expect(byHead('down').difference.high).toBeLessThan(0);
    expect(byHead('down').asoEpsMin).toBeGreaterThan(0.5);
    expect(byHead('near').verdictText).toBe('no evidence');
    expect(byHead('near').difference.low).toBeLessThan(0);
    expect(byHead('near').difference.high).toBeGreaterThan(0);
    expect(byHead('same').verdictText).toBe('no evidence');
    expect(byHead('same').difference.estimate).toBe(0);
  });

  it('is seeded: the same runs give the same numbers every time', () => {
    expect(compareWithBaseline(runs, HEADS, 'accuracy', 'cls')).toEqual(comparison);
  });

  it('falls back to unpaired (Welch) when the seed sets differ', () => {
    const fewer = runs.filter((r) => !(r.head === 'up' && r.seed === 5));
    const up = compareWithBaseline(fewer, HEADS, 'accuracy', 'cls').heads[0]!;
    expect({ head: up.head, paired: up.paired, n: up.n, baselineRuns: up.baselineRuns, wilcoxon: up.wilcoxon }).toEqual({ head: 'up', paired: false, n: 4, baselineRuns: 5, wilcoxon: undefined });
    expect(up.tTest.name).not.toBe(byHead('up').tTest.name);
    expect(pairBySeed(new Map([[2, 0.5], [1, 0.4]]), new Map([[1, 0.3], [2, 0.6]]))).toEqual({ a: [0.4, 0.5], b: [0.3, 0.6], paired: true });
  });

  it('turns the sign round where lower is better (MSE)', () => {
    const mse = ['cls', 'up'].flatMap((head) => SEEDS.map((seed, i) => runResult(head, seed, { mse: 1 + CLS[i]! + OFFSETS[head]![i]! })));
    const up = compareWithBaseline(mse, ['cls', 'up'], 'mse', 'cls').heads[0]!;
    expect(up.difference.estimate).toBeGreaterThan(0);
    expect(up.verdict).toBe('worse');
    expect(up.asoEpsMin).toBeGreaterThan(0.5);
  });
});

describe('failed runs (stuck at one class)', () => {
  it('are counted per head and kept in the numbers', () => {
    expect(summaries.find((s) => s.head === 'cls')!.failedRuns).toEqual({ failed: 1, unknown: 0, runs: 5 });
    expect(summaries.find((s) => s.head === 'up')!.failedRuns).toEqual({ failed: 0, unknown: 0, runs: 5 });
    expect(summaries.find((s) => s.head === 'cls')!.metrics.accuracy!.mean).toBeCloseTo(CLS.reduce((a, b) => a + b) / 5, 12);
  });

  it('are unknown for results written before evaluations recorded their spread', () => {
    const old = runResult('cls', 1, { accuracy: 0.5 }, null);
    expect(runFailed(old)).toBeUndefined();
    expect(runFailed(runResult('cls', 1, { accuracy: 0.5 }, ONE_CLASS))).toBe(true);
    expect(runFailed({ best: null })).toBeUndefined();
    expect(countFailedRuns([old, runResult('cls', 2, { accuracy: 0.5 }, ONE_CLASS), runResult('cls', 3, { accuracy: 0.9 })])).toEqual({ failed: 1, unknown: 1, runs: 3 });
  });
});

describe('the per-head table', () => {
  const lines = formatCompareTable(summaries, 'accuracy').split('\n');
  const row = (head: string) => lines.find((l) => l.split(/\s+/)[0] === head)!.split(/\s{2,}/);

  it('has runs, failed runs, mean ± sample std, median, min and max', () => {
    expect(lines[0]!.split(/\s{2,}/)).toEqual(['head', 'runs', 'failed', 'Accuracy mean ± std (n−1)', 'median', 'min', 'max', 'train time (mean)']);
    expect(row('cls')).toEqual(['cls', '5', '1/5', '81.00 ± 1.58', '81.00', '79.00', '83.00', '12.0s']);
    // up: 0.85, 0.88, 0.835, 0.865, 0.882.
    expect(row('up')).toEqual(['up', '5', '0/5', '86.24 ± 2.00', '86.50', '83.50', '88.20', '12.0s']);
  });

  it('says "?" where no run can tell whether it failed', () => {
    const old = summarizeRuns([runResult('cls', 1, { accuracy: 0.5 }, null), runResult('cls', 2, { accuracy: 0.6 }, null)], ['cls']);
    expect(formatCompareTable(old, 'accuracy').split('\n')[2]!.split(/\s{2,}/)[2]).toBe('?/2');
  });
});

describe('the table against the baseline', () => {
  const text = formatComparisonTable(comparison, { cls: 5, up: 5, down: 5, near: 5, same: 5 }, HEADS);
  const lines = text.split('\n');
  const row = (head: string) => lines.find((l) => l.split(/\s+/)[0] === head)!.split(/\s{2,}/);

  it('names the baseline, the metric, the CI and α above the table', () => {
    expect(lines[0]).toBe('Against the baseline cls on Accuracy (mean difference in points (×100), 95 % bootstrap CI over seeds, α = 0.05):');
    expect(lines[1]!.split(/\s{2,}/)).toEqual(['head', 'seeds', 'Δ Accuracy', '95 % CI', 'test', 't-test p', 'Wilcoxon p', 'ASO ε_min', 'verdict']);
  });

  it('has a row per head: the baseline says "baseline", the others their numbers and verdict', () => {
    expect(row('cls')).toEqual(['cls', '5', 'baseline']);
    const up = byHead('up');
    expect(row('up')).toEqual([
      'up', '5', `+${(up.difference.estimate * 100).toFixed(2)}`, `[+${(up.difference.low * 100).toFixed(2)}, +${(up.difference.high * 100).toFixed(2)}]`, 'paired t',
      up.tTest.pValue < 0.001 ? '<0.001' : up.tTest.pValue.toFixed(3), up.wilcoxon!.pValue.toFixed(3), up.asoEpsMin.toFixed(2), 'better (significant at α=0.05)',
    ]);
    expect(row('down').at(-1)).toBe('worse (significant at α=0.05)');
    expect(row('near').at(-1)).toBe('no evidence');
    expect(row('same').at(-1)).toBe('no evidence');
    expect(row('same')[2]).toBe('0.00');
  });

  it('says how to read it in a few lines', () => {
    expect(text).toMatch(/ASO ε_min < 0\.5: the head scores better than the baseline more often than not \(smaller is stronger\)/);
    expect(text).toMatch(/Few seeds give the tests little power/);
    expect(text).toMatch(/Failed runs are counted and kept/);
  });
});

describe('summary.csv', () => {
  const [header, ...rows] = summariesToCsv(summaries, comparison).trimEnd().split('\n');
  const cols = header!.split(',');
  const get = (head: string, col: string) => rows.find((r) => r.startsWith(`${head},`))!.split(',')[cols.indexOf(col)];

  it('keeps the older columns first, then failed runs, medians and the comparison', () => {
    expect(header).toBe('head,runs,accuracy_mean,accuracy_std_sample_n-1,accuracy_min,accuracy_max,train_seconds_mean,failed_runs,failed_unknown,accuracy_median,' +
      "baseline,alpha,verdict,pairing,n_compared,accuracy_diff_mean,accuracy_diff_ci95_low,accuracy_diff_ci95_high,t_test,t_test_p,wilcoxon_p,accuracy_aso_eps_min");
    expect(summariesToCsv(summaries).split('\n')[0]).toBe('head,runs,accuracy_mean,accuracy_std_sample_n-1,accuracy_min,accuracy_max,train_seconds_mean,failed_runs,failed_unknown,accuracy_median');
  });

  it('holds the numbers of the comparison', () => {
    const up = byHead('up');
    expect([get('cls', 'failed_runs'), get('cls', 'verdict'), get('up', 'verdict'), get('near', 'verdict')]).toEqual(['1', 'baseline', 'better', 'no evidence']);
    expect(Number(get('up', 'accuracy_diff_mean'))).toBe(up.difference.estimate);
    expect(Number(get('up', 'accuracy_diff_ci95_low'))).toBe(up.difference.low);
    expect(Number(get('up', 't_test_p'))).toBe(up.tTest.pValue);
    expect(Number(get('up', 'accuracy_aso_eps_min'))).toBe(up.asoEpsMin);
    expect([get('up', 'pairing'), get('up', 'baseline'), get('up', 'alpha')]).toEqual(['paired', 'cls', '0.05']);
    expect(Number(get('cls', 'accuracy_median'))).toBe(0.81);
  });
});

describe('the chart', () => {
  const root = parseXml(renderCompareSvg(chartData('spam, 5 seeds', runs, summaries, 'accuracy', comparison)));

  it('draws every seed as a dot over its bar, failed runs hollow, equal values side by side', () => {
    const [panel] = byClass(root, 'bar-panel');
    for (const head of HEADS) {
      const group = byClass(panel!, 'seed-dots').filter((g) => g.attrs['data-head'] === head);
      expect(group).toHaveLength(1);
      const dots = byClass(group[0]!, 'seed-dot');
      expect(dots.map((d) => numAttr(d, 'data-seed'))).toEqual(SEEDS);
      expect(dots.map((d) => numAttr(d, 'data-value'))).toEqual(runs.filter((r) => r.head === head).map((r) => r.best!.metrics.accuracy));
      expect(new Set(dots.map((d) => numAttr(d, 'cx'))).size).toBe(5);
      // Over its own bar.
      const bar = byClass(panel!, 'bar').find((b) => b.attrs['data-head'] === head)!;
      for (const d of dots) {
        expect(numAttr(d, 'cx')).toBeGreaterThan(numAttr(bar, 'x'));
        expect(numAttr(d, 'cx')).toBeLessThan(numAttr(bar, 'x') + numAttr(bar, 'width'));
      }
    }
    expect(byClass(root, 'seed-dot')).toHaveLength(runs.length);
    const failed = byClass(root, 'failed');
    expect(failed.map((d) => [d.parent!.attrs['data-head'], d.attrs['data-seed']])).toEqual([['cls', '3']]);
    // A higher value sits higher.
    const cls = byClass(root, 'seed-dot').filter((d) => d.parent!.attrs['data-head'] === 'cls');
    expect(numAttr(cls[4]!, 'cy')).toBeLessThan(numAttr(cls[2]!, 'cy'));
  });

  it('draws each head\'s difference to the baseline with its CI, against a zero line', () => {
    const [panel] = byClass(root, 'difference-panel');
    expect(panel!.attrs['data-baseline']).toBe('cls');
    const [zero] = byClass(panel!, 'zero-line');
    const x0 = numAttr(zero!, 'x1');
    const diffs = byClass(panel!, 'difference');
    expect(diffs.map((d) => d.attrs['data-head'])).toEqual(['up', 'down', 'near', 'same']);
    const ci = (head: string) => byClass(diffs.find((d) => d.attrs['data-head'] === head)!, 'ci')[0]!;
    expect(numAttr(ci('up'), 'x1')).toBeGreaterThan(x0); // the whole interval right of zero
    expect(numAttr(ci('down'), 'x2')).toBeLessThan(x0);
    expect(numAttr(ci('near'), 'x1')).toBeLessThan(x0);
    expect(numAttr(ci('near'), 'x2')).toBeGreaterThan(x0);
    expect(byClass(panel!, 'verdict').map(textOf)).toEqual(comparison.heads.map((h) => h.verdictText));
    expect(Number(diffs[0]!.attrs['data-estimate'])).toBe(byHead('up').difference.estimate);
  });

  it('says what the dots are', () => {
    expect(textOf(byClass(root, 'chart-note')[0]!)).toMatch(/^Dots: one per seed/);
  });
});

describe('the baseline', () => {
  it('is cls by default, --baseline when it is among the heads', () => {
    expect(resolveBaseline(['mean', 'cls'])).toEqual({ head: 'cls' });
    expect(resolveBaseline(['mean', 'cls'], 'mean')).toEqual({ head: 'mean' });
  });

  it('is the first head, with a note, when cls is not compared', () => {
    const b = resolveBaseline(['mean', 'max-cls']);
    expect(b.head).toBe('mean');
    expect(b.note).toMatch(/^cls is not among the heads: comparing against mean/);
  });

  it('not among the heads is a usage error naming them', () => {
    expect(() => resolveBaseline(['cls', 'mean'], 'mha')).toThrow(UsageError);
    expect(() => resolveBaseline(['cls', 'mean'], 'mha')).toThrow('--baseline mha is not among the heads (cls, mean)');
  });
});

describe('writeCompareReport', () => {
  const out = tempDir('mpb-compare-stats-');
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('writes the comparison into results.json and prints both tables; without cls it says which head it took', async () => {
    const heads = ['up', 'down'];
    const mine = runs.filter((r) => heads.includes(r.head));
    const text = await writeCompareReport(out, { title: 'spam, 5 seeds', mainMetric: 'accuracy', heads, seeds: SEEDS, runs: mine });
    const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
    expect(results.comparison).toMatchObject({ baseline: 'up', metric: 'accuracy', alpha: 0.05, note: expect.stringMatching(/^cls is not among the heads/) });
    expect(results.comparison.heads.map((h: { head: string; verdict: string }) => [h.head, h.verdict])).toEqual([['down', 'worse']]);
    // Old fields stay.
    expect(Object.keys(results)).toEqual(['title', 'mainMetric', 'heads', 'seeds', 'summary', 'comparison', 'runs']);
    expect(results.summary[0]).toMatchObject({ head: 'up', runs: 5, failedRuns: { failed: 0, unknown: 0, runs: 5 } });
    expect(text).toMatch(/^note: cls is not among the heads: comparing against up/m);
    expect(text).toMatch(/^Against the baseline up on Accuracy/m);
    expect(text).toMatch(/^down +5 +-\d+\.\d\d +\[-\d+\.\d\d, -\d+\.\d\d\] +paired t .* worse \(significant at α=0\.05\)$/m);
    // The same runs print the same text (seeded bootstrap and ASO).
    expect(await writeCompareReport(out, { title: 'spam, 5 seeds', mainMetric: 'accuracy', heads, seeds: SEEDS, runs: mine })).toBe(text);
  });

  it('with one head alone prints no second table and draws no difference panel', async () => {
    const text = await writeCompareReport(out, { title: 'spam, 5 seeds', mainMetric: 'accuracy', heads: ['cls'], seeds: SEEDS, runs: runs.filter((r) => r.head === 'cls') });
    expect(text).not.toMatch(/Against the baseline/);
    expect(text.split('\n')[3]).toMatch(/^cls +5 +1\/5 /);
    expect(text.split('\n')[4]).toMatch(/^results: /);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')).comparison).toMatchObject({ baseline: 'cls', heads: [] });
    expect(fs.readFileSync(path.join(out, 'compare.svg'), 'utf8')).not.toContain('difference-panel');
  });
});
