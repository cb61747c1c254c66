// A real compare's statistics end to end (tiny-bert, wasm, 2 heads × 3 seeds of 4 steps): each
// run records how varied its dev predictions were, results.json has the `comparison` against
// the baseline that the printed table shows, a rerun with --baseline compares the other way
// round without training, and a --baseline that is not among the heads is refused at once.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TINY_BERT_DIR } from '../../../../testing/shared-fixtures';
import { cli, tempDir } from '../run-cli';
import { GLUE_DIR, readJson } from './helpers';

const root = tempDir('mpb-compare-stats-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const HEADS = ['cls', 'mean'];
const out = path.join(root, 'out');
const argv = (...more: string[]) => [
  'compare', '--model', TINY_BERT_DIR, '--heads', HEADS.join(','), '--seeds', '3', '--task', 'SST-2', '--data', GLUE_DIR,
  '--train-limit', '32', '--dev-limit', '16', '--batch-size', '8', '--epochs', '1', '--max-length', '16', '--backend', 'wasm', '--quiet', '--out', out, ...more,
];

interface Spread { distinct: number; majorityShare: number }
interface Run { head: string; seed: number; best: { metrics: { accuracy: number }; predictionSpread?: Spread } }
interface HeadComparison {
  head: string; n: number; paired: boolean; verdict: string; verdictText: string; asoEpsMin: number;
  difference: { estimate: number; low: number; high: number; confidence: number };
  tTest: { name: string; pValue: number }; wilcoxon?: { name: string; pValue: number };
}
interface Results {
  runs: Run[];
  summary: { head: string; failedRuns: { failed: number; unknown: number; runs: number }; metrics: { accuracy: { median: number } } }[];
  comparison: { baseline: string; metric: string; alpha: number; tests: { paired: { tTest: string } }; heads: HeadComparison[] };
}

let first: Awaited<ReturnType<typeof cli>>;
let results: Results;
beforeAll(async () => {
  first = await cli(...argv());
  results = readJson<Results>(path.join(out, 'results.json'));
}, 180_000);

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const accuracies = (head: string) => results.runs.filter((r) => r.head === head).sort((a, b) => a.seed - b.seed).map((r) => r.best.metrics.accuracy);

it('every run records the spread of its best evaluation, and the failed runs are those that predict one class', () => {
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  for (const r of results.runs) {
    expect(r.best.predictionSpread!.distinct).toBeGreaterThanOrEqual(1);
    expect(r.best.predictionSpread!.distinct).toBeLessThanOrEqual(2);
    expect(r.best.predictionSpread!.majorityShare * 16).toBeCloseTo(Math.round(r.best.predictionSpread!.majorityShare * 16), 9); // of 16 dev examples
  }
  for (const s of results.summary) {
    const failed = results.runs.filter((r) => r.head === s.head && r.best.predictionSpread!.distinct === 1).length;
    expect(s.failedRuns).toEqual({ failed, unknown: 0, runs: 3 });
    expect(s.metrics.accuracy.median).toBe([...accuracies(s.head)].sort((a, b) => a - b)[1]);
    const row = first.stdout.split('\n').find((l) => l.startsWith(`${s.head} `))!;
    expect(row.split(/\s{2,}/).slice(0, 3)).toEqual([s.head, '3', `${failed}/3`]);
  }
});

it('results.json compares mean with cls, paired by seed, on accuracy', () => {
  const c = results.comparison;
  expect(c).toMatchObject({ baseline: 'cls', metric: 'accuracy', alpha: 0.05, tests: { paired: { tTest: 'paired t-test' } } });
  expect(c.heads).toHaveLength(1);
  const h = c.heads[0]!;
  expect(h).toMatchObject({ head: 'mean', n: 3, paired: true });
  expect(h.difference.estimate).toBeCloseTo(mean(accuracies('mean')) - mean(accuracies('cls')), 12);
  expect(h.difference.confidence).toBe(0.95);
  expect(['better', 'worse', 'no evidence']).toContain(h.verdict);
  if (h.verdict !== 'no evidence') expect(h.tTest.pValue).toBeLessThan(0.05);
});

it('prints the table against the baseline under the per-head table', () => {
  const lines = first.stdout.split('\n');
  const at = lines.indexOf('Against the baseline cls on Accuracy (mean difference in points (×100), 95 % bootstrap CI over seeds, α = 0.05):');
  expect(at).toBeGreaterThan(3);
  expect(lines[at + 1]!.split(/\s{2,}/)).toEqual(['head', 'seeds', 'Δ Accuracy', '95 % CI', 'test', 't-test p', 'Wilcoxon p', 'ASO ε_min', 'verdict']);
  expect(lines[at + 3]!.split(/\s{2,}/)).toEqual(['cls', '3', 'baseline']);
  const h = results.comparison.heads[0]!;
  const row = lines[at + 4]!.split(/\s{2,}/);
  expect(row[0]).toBe('mean');
  expect(Number(row[2])).toBeCloseTo(h.difference.estimate * 100, 2);
  expect(row[4]).toBe('paired t');
  expect(row.at(-1)).toBe(h.verdictText);
  // The chart has a dot per run and the difference panel.
  const svg = fs.readFileSync(path.join(out, 'compare.svg'), 'utf8');
  expect(svg.match(/class="seed-dot( failed)?"/g)).toHaveLength(6);
  expect(svg).toContain('class="difference-panel"');
});

it('a rerun with --baseline mean trains nothing and compares the other way round, with the same numbers', async () => {
  const again = await cli(...argv('--baseline', 'mean'));
  expect(again.code).toBe(0);
  const c = readJson<Results>(path.join(out, 'results.json')).comparison;
  expect(c.baseline).toBe('mean');
  const h = c.heads[0]!;
  expect(h.head).toBe('cls');
  expect(h.difference.estimate).toBeCloseTo(-results.comparison.heads[0]!.difference.estimate, 12);
  expect(h.tTest.pValue).toBe(results.comparison.heads[0]!.tTest.pValue); // two-sided: the same p either way
  expect(again.stdout).toMatch(/^mean +3 +baseline$/m);
  // And without it again: the very table of the first run (seeded statistics).
  expect((await cli(...argv())).stdout).toBe(first.stdout);
});

it('a --baseline that is not among the heads is a usage error naming them, before any training', async () => {
  const fresh = path.join(root, 'refused');
  const r = await cli(...argv('--baseline', 'mha').map((a) => (a === out ? fresh : a)));
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/--baseline mha is not among the heads \(cls, mean\)/);
  expect(fs.existsSync(fresh)).toBe(false);
});
