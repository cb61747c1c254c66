import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { heads, validateTrainOptions, type BackendInfo } from '@maxpoolbert/core';
import { writeFileAtomic } from '@maxpoolbert/backend-node';
import { startBackend } from '../backend.js';
import { BACKEND_OPTIONS, intOption, listOption, stringOption, UsageError, type CliIo, type Command, type OptionSpec, type ParsedOptions } from '../command.js';
import { renderCompareSvg } from '../report/svg-chart.js';
import { chartData, formatCompareTable, runsToCsv, summarizeRuns } from '../training/aggregate.js';
import { readCheckpoint, RESULTS_FILE } from '../training/checkpoint.js';
import { trainInChild } from '../training/child-run.js';
import { loadData } from '../training/data-source.js';
import { runPool } from '../training/run-pool.js';
import { runTraining, type RunResult } from '../training/run-training.js';
import { DATA_OPTIONS, dataArgsFrom, HEAD_OPTIONS, headSpecFrom, TRAIN_OPTIONS, trainOptionsFrom } from '../training/train-flags.js';

/** The flags a compare passes through to each run's `train`. */
const PASS_THROUGH: Record<string, OptionSpec> = { ...DATA_OPTIONS, ...TRAIN_OPTIONS, ...HEAD_OPTIONS };

function passThroughArgv(opts: ParsedOptions): string[] {
  const argv: string[] = [];
  for (const [key, spec] of Object.entries(PASS_THROUGH)) {
    const v = opts[key];
    if (v === undefined || v === false) continue;
    argv.push(`--${key}`);
    if (spec.type === 'string') argv.push(String(v));
  }
  return argv;
}

export interface CompareSettings {
  model: string;
  heads: string[];
  seeds: number[];
  out: string;
  parallel: number;
  opts: ParsedOptions;
}

/**
 * Threads each child process gets with --parallel N on a backend that runs a thread pool: its
 * share of the pool, so that N children never take every core each (oversubscribed, OpenMP's
 * spinning threads made the demo's runs 5× slower). None when the user sized the pool through
 * OMP_NUM_THREADS, which every child inherits, or when the backend has no pool.
 */
export function childThreads(backend: Pick<BackendInfo, 'threads'>, parallel: number, env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (!backend.threads || env.OMP_NUM_THREADS) return undefined;
  return Math.max(1, Math.floor(backend.threads / parallel));
}

/**
 * Trains every head × seed into OUT/runs/<head>/seed-<n>/ (skipping finished runs and resuming
 * interrupted ones), then writes results.json, results.csv and compare.svg and returns the table.
 */
export async function runCompare(s: CompareSettings, io: CliIo, backend: Pick<BackendInfo, 'name' | 'threads'>): Promise<string> {
  const data = dataArgsFrom(s.opts);
  const dataSeed = intOption(s.opts, 'data-seed', 0)!;
  const loaded = await loadData(data, { needTrain: true, seed: dataSeed });
  const quiet = s.opts.quiet === true;
  const plan = s.heads.flatMap((head) => s.seeds.map((seed) => ({ head, seed, dir: path.join(s.out, 'runs', head, `seed-${seed}`) })));
  const threads = s.parallel > 1 ? childThreads(backend, s.parallel) : undefined;
  const threadArgs = threads ? ['--threads', String(threads)] : [];
  let done = 0;
  const tasks = plan.map(({ head, seed, dir }) => async (): Promise<RunResult> => {
    const label = `${head} seed ${seed}`;
    const checkpoint = await readCheckpoint(dir);
    let result: RunResult;
    if (checkpoint?.state.finished && (await fsp.stat(path.join(dir, RESULTS_FILE)).catch(() => null))) {
      result = JSON.parse(await fsp.readFile(path.join(dir, RESULTS_FILE), 'utf8')) as RunResult;
    } else if (s.parallel > 1) {
      const argv = checkpoint
        ? ['--resume', dir]
        : ['--model', s.model, '--head', head, '--out', dir, '--seed', String(seed), ...passThroughArgv(s.opts)];
      result = await trainInChild(dir, [...argv, '--quiet', '--backend', backend.name, ...threadArgs]);
    } else {
      const options = trainOptionsFrom(s.opts, seed);
      const args = { model: s.model, head: headSpecFrom(s.opts, head), data, dataSeed, options, labels: loaded.labels };
      result = await runTraining(dir, checkpoint ? null : args, { io, quiet, backend: backend.name, threads: backend.threads, label: `${label} (${done + 1}/${plan.length})`, data: loaded });
    }
    done++;
    const main = result.best?.metrics[result.mainMetric as keyof typeof result.best.metrics];
    if (!quiet) io.stderr(`[${done}/${plan.length}] ${label}: ${result.mainMetric} ${main?.toFixed(4) ?? 'n/a'} in ${result.trainSeconds.toFixed(1)}s\n`);
    return result;
  });
  const runs = await runPool(tasks, s.parallel);

  const summaries = summarizeRuns(runs, s.heads);
  const table = formatCompareTable(summaries, loaded.mainMetric);
  const title = `${loaded.description}, ${s.seeds.length} seed${s.seeds.length > 1 ? 's' : ''}`;
  await writeFileAtomic(path.join(s.out, 'results.json'), [JSON.stringify({ title, mainMetric: loaded.mainMetric, heads: s.heads, seeds: s.seeds, summary: summaries, runs }, null, 2) + '\n']);
  await writeFileAtomic(path.join(s.out, 'results.csv'), [runsToCsv(runs)]);
  const svg = path.join(s.out, 'compare.svg');
  await writeFileAtomic(svg, [renderCompareSvg(chartData(title, runs, summaries, loaded.mainMetric))]);
  return `${title}\n${table}\nresults: ${path.resolve(s.out, 'results.json')}, ${path.resolve(s.out, 'results.csv')}\nchart:   ${path.resolve(svg)}\n`;
}

export const compareCommand: Command = {
  name: 'compare',
  summary: 'Fine-tune several heads over several seeds and report mean ± std per metric, with a chart.',
  options: {
    model: { type: 'string', value: 'DIR', description: 'pre-trained BERT folder', required: true },
    heads: { type: 'string', value: 'LIST', description: 'comma-separated heads', default: 'cls,max-cls,mha,max-seq-mha' },
    seeds: { type: 'string', value: 'N', description: 'seeds per head (1..N)', default: '5' },
    out: { type: 'string', value: 'DIR', description: 'output folder; rerun with the same DIR to continue an interrupted compare', required: true },
    parallel: { type: 'string', value: 'N', description: 'runs at a time, each in its own process (on the native backend each gets its share of the threads)', default: '1' },
    ...PASS_THROUGH,
    quiet: { type: 'boolean', description: 'no progress output' },
    ...BACKEND_OPTIONS,
  },
  details: 'Writes OUT/results.json, OUT/results.csv and OUT/compare.svg (bars with ± std error bars, learning curves).',
  async run(opts, _pos, io) {
    const headNames = listOption(opts, 'heads');
    for (const h of headNames) heads.get(h); // unknown names fail before any training
    const seedCount = intOption(opts, 'seeds')!;
    const problems = validateTrainOptions(trainOptionsFrom(opts, 1));
    if (problems.length) throw new UsageError(problems.join('; '));
    const backend = await startBackend(opts, io);
    const table = await runCompare({
      model: path.resolve(stringOption(opts, 'model')!), heads: headNames, seeds: Array.from({ length: seedCount }, (_, i) => i + 1),
      out: stringOption(opts, 'out')!, parallel: intOption(opts, 'parallel')!, opts,
    }, io, backend);
    io.stdout(table);
  },
};
