import * as path from 'node:path';
import { writeFileAtomic } from '@maxpoolbert/backend-node';
import { renderCompareSvg } from '../report/svg-chart.js';
import { chartData, formatCompareTable, runsToCsv, summarizeRuns, summariesToCsv } from './aggregate.js';
import { resolveBaseline } from './baseline.js';
import { compareWithBaseline } from './compare-statistics.js';
import { formatComparisonTable } from './comparison-table.js';
import type { RunResult } from './run-training.js';

/** What a finished compare reports on, wherever its runs were trained (here or on queue workers). */
export interface CompareOutcome {
  /** e.g. "SST-2, 5 seeds": the table's and the chart's title. */
  title: string;
  mainMetric: string;
  heads: string[];
  seeds: number[];
  /** Every head × seed run, in plan order. */
  runs: RunResult[];
  /** The head the others are compared with (`--baseline`); default cls, or the first head without cls. */
  baseline?: string;
}

/**
 * Writes OUT/results.json, results.csv, summary.csv and compare.svg (each atomically) and returns
 * the text a compare prints: the title, the per-head table, the table of every head against the
 * baseline (seeded statistics: the same runs print the same numbers) and where the files are.
 */
export async function writeCompareReport(out: string, o: CompareOutcome): Promise<string> {
  const summaries = summarizeRuns(o.runs, o.heads);
  const table = formatCompareTable(summaries, o.mainMetric);
  const baseline = resolveBaseline(o.heads, o.baseline);
  const comparison = compareWithBaseline(o.runs, o.heads, o.mainMetric, baseline.head, baseline.note);
  const runsPerHead = Object.fromEntries(summaries.map((s) => [s.head, s.runs]));
  // A single head has nothing to be compared with: no second table.
  const versus = comparison.heads.length ? `\n${formatComparisonTable(comparison, runsPerHead, o.heads)}\n\n` : '';
  const results = { title: o.title, mainMetric: o.mainMetric, heads: o.heads, seeds: o.seeds, summary: summaries, comparison, runs: o.runs };
  await writeFileAtomic(path.join(out, 'results.json'), [JSON.stringify(results, null, 2) + '\n']);
  await writeFileAtomic(path.join(out, 'results.csv'), [runsToCsv(o.runs)]);
  await writeFileAtomic(path.join(out, 'summary.csv'), [summariesToCsv(summaries, comparison)]);
  const svg = path.join(out, 'compare.svg');
  await writeFileAtomic(svg, [renderCompareSvg(chartData(o.title, o.runs, summaries, o.mainMetric, comparison))]);
  return `${o.title}\n${table}\n${versus}results: ${path.resolve(out, 'results.json')}, ${path.resolve(out, 'results.csv')}, ${path.resolve(out, 'summary.csv')}\nchart:   ${path.resolve(svg)}\n`;
}
