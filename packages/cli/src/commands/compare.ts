import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { heads, validateTrainOptions, type BackendInfo } from '@maxpoolbert/core';
import { startBackend } from '../backend.js';
import { asUsage, BACKEND_OPTIONS, intOption, listOption, stringOption, UsageError, type CliIo, type Command, type OptionSpec, type ParsedOptions } from '../command.js';
import { CompareProgress } from '../report/compare-progress.js';
import { checkHeadsAgainstModel } from '../training/check-heads.js';
import { writeCompareReport } from '../training/compare-report.js';
import { readCheckpoint, RESULTS_FILE, type TrainingArgs } from '../training/checkpoint.js';
import { trainInChild } from '../training/child-run.js';
import { loadData } from '../training/data-source.js';
import { dropCheckpoint } from '../training/drop-checkpoint.js';
import { lockOutFolder, refuseIfLocked } from '../training/out-lock.js';
import { runPool } from '../training/run-pool.js';
import { checkRunSettings, dataFingerprint } from '../training/run-settings.js';
import { runTraining, type RunResult } from '../training/run-training.js';
import { tailJsonLog } from '../training/tail-json-log.js';
import { DATA_OPTIONS, dataArgsFrom, HEAD_OPTIONS, headSpecFrom, TRAIN_OPTIONS, trainOptionsFrom } from '../training/train-flags.js';

/** A compare child's `--json-log` in its run folder: the parent follows it for the progress line. */
export const STEP_LOG = 'steps.jsonl';

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
 * Runs saved with other settings are refused, or trained again with `--force` (`s.opts.force`).
 * A finished run's checkpoint/ is removed (its best/ and results.json stay) unless
 * `s.opts['keep-checkpoints']`. Every head is checked against the model before the first run.
 */
export async function runCompare(s: CompareSettings, io: CliIo, backend: Pick<BackendInfo, 'name' | 'threads'>): Promise<string> {
  // Every head against the model first: a k the model cannot take fails now, not hours later.
  await checkHeadsAgainstModel(s.model, s.heads.map((head) => headSpecFrom(s.opts, head)));
  // One compare per OUT at a time; each run also locks its own folder (runs/<head>/seed-<n>).
  const lock = lockOutFolder(s.out, 'compare');
  try {
    return await compareInLockedFolder(s, io, backend);
  } finally {
    lock.release();
  }
}

async function compareInLockedFolder(s: CompareSettings, io: CliIo, backend: Pick<BackendInfo, 'name' | 'threads'>): Promise<string> {
  const data = dataArgsFrom(s.opts);
  const dataSeed = intOption(s.opts, 'data-seed', 0)!;
  const loaded = await loadData(data, { needTrain: true, seed: dataSeed });
  const quiet = s.opts.quiet === true;
  const plan = s.heads.flatMap((head) => s.seeds.map((seed) => ({ head, seed, dir: path.join(s.out, 'runs', head, `seed-${seed}`) })));
  const fingerprint = dataFingerprint(loaded);
  const argsFor = (head: string, seed: number): TrainingArgs => ({
    model: s.model, head: headSpecFrom(s.opts, head), data, dataSeed, options: trainOptionsFrom(s.opts, seed), labels: loaded.labels, dataFingerprint: fingerprint,
  });
  const retrain = await checkRunSettings(plan.map((p) => ({ dir: p.dir, wanted: argsFor(p.head, p.seed) })), { out: s.out, force: s.opts.force === true });
  if (retrain.length && !quiet) io.stderr(`note: --force: training ${retrain.length} run${retrain.length > 1 ? 's' : ''} again with these settings\n`);
  const threads = s.parallel > 1 ? childThreads(backend, s.parallel) : undefined;
  const threadArgs = threads ? ['--threads', String(threads)] : [];
  const keepCheckpoints = s.opts['keep-checkpoints'] === true;
  // One progress line for the whole compare (the runs in flight, rate, ETA of every run left).
  const { batchSize, epochs } = trainOptionsFrom(s.opts, 1);
  const progress = new CompareProgress({
    runs: plan.length, stepsPerRun: Math.ceil(loaded.train!.examples.length / batchSize) * epochs,
    isTty: io.isTty, write: io.stderr, quiet, columns: io.isTty ? process.stderr.columns : undefined,
  });
  for (const skipped of loaded.skipped) progress.message(`note: skipped ${skipped.count} bad rows in ${skipped.file}`);
  for (const note of loaded.notes) progress.message(`note: ${note}`); // invalid UTF-8 replaced
  let done = 0;
  const tasks = plan.map(({ head, seed, dir }) => async (signal: AbortSignal): Promise<RunResult> => {
    const label = `${head} seed ${seed}`;
    const checkpoint = await readCheckpoint(dir);
    const resultsFile = path.join(dir, RESULTS_FILE);
    let result: RunResult;
    // Finished: its results.json, with no checkpoint left (removed after the run) or a finished one.
    if ((!checkpoint || checkpoint.state.finished) && (await fsp.stat(resultsFile).catch(() => null))) {
      result = JSON.parse(await fsp.readFile(resultsFile, 'utf8')) as RunResult;
      progress.alreadyFinished(dir, label);
    } else {
      progress.runStarted(dir, label, checkpoint?.state.step ?? 0);
      if (checkpoint) progress.message(`resuming ${label} at step ${checkpoint.state.step}/${checkpoint.state.totalSteps}`);
      const onStep = (p: { step: number; totalSteps: number }) => progress.step(dir, p.step, p.totalSteps);
      try {
        if (s.parallel > 1) {
          const argv = checkpoint
            ? ['--resume', dir]
            : ['--model', s.model, '--head', head, '--out', dir, '--seed', String(seed), ...passThroughArgv(s.opts)];
          const stepLog = path.join(dir, STEP_LOG);
          const tail = await tailJsonLog(stepLog, (r) => {
            if (r.type === 'step' && typeof r.step === 'number' && typeof r.totalSteps === 'number') onStep(r as { step: number; totalSteps: number });
          });
          try {
            result = await trainInChild(dir, [...argv, '--quiet', '--json-log', stepLog, '--backend', backend.name, ...threadArgs], signal);
          } finally {
            await tail.stop();
          }
        } else {
          const args = argsFor(head, seed);
          result = await runTraining(dir, checkpoint ? null : args, { io, quiet: true, backend: backend.name, threads: backend.threads, data: loaded, onStep });
        }
      } catch (err) {
        progress.runStopped(dir);
        throw err;
      }
    }
    // The optimizer moments are what makes a folder big; a finished run never needs them again.
    if (!keepCheckpoints) await dropCheckpoint(dir);
    done++;
    const main = result.best?.metrics[result.mainMetric as keyof typeof result.best.metrics];
    progress.runFinished(dir, `[${done}/${plan.length}] ${label}: ${result.mainMetric} ${main?.toFixed(4) ?? 'n/a'} in ${result.trainSeconds.toFixed(1)}s`);
    return result;
  });
  let runs: RunResult[];
  try {
    runs = await runPool(tasks, s.parallel);
  } finally {
    progress.finish();
  }

  const title = `${loaded.description}, ${s.seeds.length} seed${s.seeds.length > 1 ? 's' : ''}`;
  return writeCompareReport(s.out, { title, mainMetric: loaded.mainMetric, heads: s.heads, seeds: s.seeds, runs });
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
    force: { type: 'boolean', description: 'train again the runs in OUT saved with other settings (without it, such a rerun is refused)' },
    'keep-checkpoints': { type: 'boolean', description: "keep each finished run's checkpoint/ (weights + optimizer moments, 3× the model; by default only best/ is kept)" },
    ...PASS_THROUGH,
    quiet: { type: 'boolean', description: 'no progress output' },
    ...BACKEND_OPTIONS,
  },
  details: 'Writes OUT/results.json, OUT/results.csv (one row per run), OUT/summary.csv (mean and sample std, n − 1, per head and metric)\n' +
    'and OUT/compare.svg (bars with ± 1 sample std error bars, learning curves). Each run keeps OUT/runs/<head>/seed-<n>/best and results.json.',
  async run(opts, _pos, io) {
    const headNames = listOption(opts, 'heads');
    if (!headNames.length) throw new UsageError('--heads needs at least one head, e.g. --heads cls,max-seq-mha');
    for (const h of headNames) asUsage(() => heads.get(h)); // unknown names fail (exit 2) before any training
    dataArgsFrom(opts); // so do missing or misplaced data flags
    const seedCount = intOption(opts, 'seeds')!;
    const problems = validateTrainOptions(trainOptionsFrom(opts, 1));
    if (problems.length) throw new UsageError(problems.join('; '));
    refuseIfLocked(stringOption(opts, 'out')!); // another compare or train works there: say so before any work
    const backend = await startBackend(opts, io);
    const table = await runCompare({
      model: path.resolve(stringOption(opts, 'model')!), heads: headNames, seeds: Array.from({ length: seedCount }, (_, i) => i + 1),
      out: stringOption(opts, 'out')!, parallel: intOption(opts, 'parallel')!, opts,
    }, io, backend);
    io.stdout(table);
  },
};
