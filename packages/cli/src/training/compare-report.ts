import * as path from 'node:path';
import { writeFileAtomic } from '@maxpoolbert/backend-node';
import { renderCompareSvg } from '../report/svg-chart.js';
import { chartData, formatCompareTable, runsToCsv, summarizeRuns, summariesToCsv } from './aggregate.js';
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
}

/**
 * Writes OUT/results.json, results.csv, summary.csv and compare.svg (each atomically) and returns
 * the text a compare prints: the title, the table and where the files are.
 */
export async function writeCompareReport(out: string, o: CompareOutcome): Promise<string> {
  const summaries = summarizeRuns(o.runs, o.heads);
  const table = formatCompareTable(summaries, o.mainMetric);
  await writeFileAtomic(path.join(out, 'results.json'), [JSON.stringify({ title: o.title, mainMetric: o.mainMetric, heads: o.heads, seeds: o.seeds, summary: summaries, runs: o.runs }, null, 2) + '\n']);
  await writeFileAtomic(path.join(out, 'results.csv'), [runsToCsv(o.runs)]);
  await writeFileAtomic(path.join(out, 'summary.csv'), [summariesToCsv(summaries)]);
  const svg = path.join(out, 'compare.svg');
  await writeFileAtomic(svg, [renderCompareSvg(chartData(o.title, o.runs, summaries, o.mainMetric))]);
  return `${o.title}\n${table}\nresults: ${path.resolve(out, 'results.json')}, ${path.resolve(out, 'results.csv')}, ${path.resolve(out, 'summary.csv')}\nchart:   ${path.resolve(svg)}\n`;
}
