import * as path from 'node:path';
import { heads, MaxPoolBertError, validateTrainOptions, type BackendInfo } from '@maxpoolbert/core';
import { startBackend } from '../backend.js';
import { asUsage, BACKEND_OPTIONS, givenOptions, intOption, listOption, stringOption, UsageError, type CliIo, type Command, type OptionSpec, type ParsedOptions } from '../command.js';
import { CompareProgress } from '../report/compare-progress.js';
import { checkHeadsAgainstModel } from '../training/check-heads.js';
import { resolveBaseline } from '../training/baseline.js';
import { writeCompareReport } from '../training/compare-report.js';
import type { TrainingArgs } from '../training/checkpoint.js';
import { readFinishedRun } from '../training/finished-run.js';
import { checkRedisReachable, parseRedisUrl, REDIS_PASSWORD_ENV, type RedisTarget } from '../queue/redis-connection.js';
import { RunQueue } from '../queue/run-queue.js';
import { trainRunOnQueue } from '../queue/train-run-on-queue.js';
import { loadData } from '../training/data-source.js';
import { dropCheckpoint } from '../training/drop-checkpoint.js';
import { lockOutFolder, refuseIfLocked } from '../training/out-lock.js';
import { runPool } from '../training/run-pool.js';
import { checkRunSettings, dataFingerprint } from '../training/run-settings.js';
import type { RunResult } from '../training/run-training.js';
import { trainRunLocally, type PlannedRun } from '../training/train-run-locally.js';
import { DATA_OPTIONS, dataArgsFrom, HEAD_OPTIONS, headSpecFrom, noPoolerFrom, TRAIN_OPTIONS, trainOptionsFrom } from '../training/train-flags.js';

/** The flags a compare passes through to each run's `train`. */
const PASS_THROUGH: Record<string, OptionSpec> = { ...DATA_OPTIONS, ...TRAIN_OPTIONS, ...HEAD_OPTIONS };

/** Flags naming files: passed on absolute, for a child or a worker whose current folder differs. */
const PATH_FLAGS = new Set(['data', 'train', 'dev']);

function passThroughArgv(opts: ParsedOptions): string[] {
  const argv: string[] = [];
  for (const [key, spec] of Object.entries(PASS_THROUGH)) {
    const v = opts[key];
    if (v === undefined || v === false) continue;
    argv.push(`--${key}`);
    if (spec.type === 'string') argv.push(PATH_FLAGS.has(key) ? path.resolve(String(v)) : String(v));
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
  /** Train the runs on queue workers (compare --queue) instead of here. */
  queue?: RedisTarget;
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
 * With `s.queue` the runs are trained by queue workers (`maxpoolbert worker`) instead, and
 * `backend` is not used (each worker has its own): the same files and table come out.
 */
export async function runCompare(s: CompareSettings, io: CliIo, backend: Pick<BackendInfo, 'name' | 'threads'> | undefined): Promise<string> {
  if (!backend && !s.queue) throw new Error('runCompare: a backend is needed to train the runs here');
  // Every head against the model first: a k the model cannot take fails now, not hours later.
  await checkHeadsAgainstModel(s.model, s.heads.map((head) => headSpecFrom(s.opts, head)), { noPooler: s.opts['no-pooler'] === true });
  // One compare per OUT at a time; each run also locks its own folder (runs/<head>/seed-<n>).
  const lock = lockOutFolder(s.out, 'compare');
  try {
    return await compareInLockedFolder(s, io, backend);
  } finally {
    lock.release();
  }
}

async function compareInLockedFolder(s: CompareSettings, io: CliIo, backend: Pick<BackendInfo, 'name' | 'threads'> | undefined): Promise<string> {
  const data = dataArgsFrom(s.opts);
  const dataSeed = intOption(s.opts, 'data-seed', 0)!;
  const loaded = await loadData(data, { needTrain: true, seed: dataSeed });
  const quiet = s.opts.quiet === true;
  // Absolute: queue workers on other machines find the run folders at the same paths.
  const plan: PlannedRun[] = s.heads.flatMap((head) => s.seeds.map((seed) => ({ head, seed, dir: path.resolve(s.out, 'runs', head, `seed-${seed}`), label: `${head} seed ${seed}` })));
  const fingerprint = dataFingerprint(loaded);
  const settings = ({ head, seed }: PlannedRun): TrainingArgs => ({
    model: s.model, head: headSpecFrom(s.opts, head), data, dataSeed, options: trainOptionsFrom(s.opts, seed), labels: loaded.labels, dataFingerprint: fingerprint,
    ...noPoolerFrom(s.opts),
  });
  const freshArgv = ({ head, seed, dir }: PlannedRun) => ['--model', s.model, '--head', head, '--out', dir, '--seed', String(seed), ...passThroughArgv(s.opts)];
  const retrain = await checkRunSettings(plan.map((p) => ({ dir: p.dir, wanted: settings(p) })), { out: s.out, force: s.opts.force === true });
  if (retrain.length && !quiet) io.stderr(`note: --force: training ${retrain.length} run${retrain.length > 1 ? 's' : ''} again with these settings\n`);
  const keepCheckpoints = s.opts['keep-checkpoints'] === true;
  // One progress line for the whole compare (the runs in flight, rate, ETA of every run left).
  const { batchSize, epochs } = trainOptionsFrom(s.opts, 1);
  const progress = new CompareProgress({
    runs: plan.length, stepsPerRun: Math.ceil(loaded.train!.examples.length / batchSize) * epochs,
    isTty: io.isTty, write: io.stderr, quiet, columns: io.isTty ? process.stderr.columns : undefined, showQueued: s.queue !== undefined,
  });
  for (const skipped of loaded.skipped) progress.message(`note: skipped ${skipped.count} bad rows in ${skipped.file}`);
  for (const note of loaded.notes) progress.message(`note: ${note}`); // invalid UTF-8 replaced
  const runQueue = s.queue ? new RunQueue(s.queue, (text) => progress.message(text)) : undefined;
  const local = backend && {
    io, backend, data: loaded, settings, freshArgv, progress,
    inChild: s.parallel > 1, childThreads: s.parallel > 1 ? childThreads(backend, s.parallel) : undefined,
  };
  let done = 0;
  const tasks = plan.map((run) => async (signal: AbortSignal): Promise<RunResult> => {
    let result = await readFinishedRun(run.dir);
    if (result) {
      progress.alreadyFinished(run.dir, run.label);
      // The optimizer moments are what makes a folder big; a finished run never needs them again.
      if (!keepCheckpoints) await dropCheckpoint(run.dir);
    } else if (runQueue) {
      // A worker trains it, resuming the checkpoint in its folder if any, and drops the checkpoint after.
      result = await trainRunOnQueue(run, { queue: runQueue, settings, freshArgv, keepCheckpoints, progress });
    } else {
      result = await trainRunLocally(run, local!, signal);
      if (!keepCheckpoints) await dropCheckpoint(run.dir);
    }
    done++;
    const main = result.best?.metrics[result.mainMetric as keyof typeof result.best.metrics];
    progress.runFinished(run.dir, `[${done}/${plan.length}] ${run.label}: ${result.mainMetric} ${main?.toFixed(4) ?? 'n/a'} in ${result.trainSeconds.toFixed(1)}s`);
    return result;
  });
  let runs: RunResult[];
  try {
    runs = runQueue ? await waitForAll(tasks, plan, progress) : await runPool(tasks, s.parallel);
  } finally {
    progress.finish();
    await runQueue?.close();
  }
  const backends = [...new Set(runs.map((r) => r.backend))];
  if (backends.length > 1 && !quiet) io.stderr(`note: the runs were trained on different backends (${backends.join(', ')}): timings differ, and metrics may in the last digits\n`);

  const title = `${loaded.description}, ${s.seeds.length} seed${s.seeds.length > 1 ? 's' : ''}`;
  return writeCompareReport(s.out, { title, mainMetric: loaded.mainMetric, heads: s.heads, seeds: s.seeds, runs, baseline: stringOption(s.opts, 'baseline') });
}

/**
 * A distributed compare waits for every run at once (the workers decide how many train at a
 * time). A run that fails does not stop the others: they go on on their workers, and the
 * compare then fails naming each failed run; run again, it queues only those.
 */
async function waitForAll(tasks: ((signal: AbortSignal) => Promise<RunResult>)[], plan: PlannedRun[], progress: CompareProgress): Promise<RunResult[]> {
  const never = new AbortController().signal;
  const settled = await Promise.all(tasks.map((task, i) => task(never).catch((err: unknown) => {
    progress.message(`${plan[i].label}: ${(err as Error).message}`);
    return err as Error;
  })));
  const failed = settled.flatMap((r, i) => (r instanceof Error ? [`${plan[i].label} (${r.message})`] : []));
  if (failed.length) {
    throw new MaxPoolBertError(`${failed.length} of ${plan.length} runs failed: ${failed.join('; ')}. Fix the cause and run the same compare again: the finished runs are kept`);
  }
  return settled as RunResult[];
}

/** `compare --help` on distributed compares. */
const QUEUE_HELP = [
  'Distributed (--queue URL): every run becomes a BullMQ job on that Redis and `maxpoolbert worker --queue URL` processes',
  '(on any machine) train them; this command waits, shows which worker trains what, then writes the same files and table.',
  'The model, the data and --out must be at the same paths on every machine (a shared file system). Run again with the',
  `same arguments, it attaches to the jobs already queued. Password: in the URL or in ${REDIS_PASSWORD_ENV}; never printed.`,
].join('\n');

export const compareCommand: Command = {
  name: 'compare',
  summary: 'Fine-tune several heads over several seeds and report mean ± std per metric, with a chart.',
  options: {
    model: { type: 'string', value: 'DIR', description: 'pre-trained BERT folder', required: true },
    heads: { type: 'string', value: 'LIST', description: 'comma-separated heads', default: 'cls,max-cls,mha,max-seq-mha' },
    baseline: { type: 'string', value: 'HEAD', description: 'the head every other is tested against (one of --heads; default cls, else the first head)' },
    seeds: { type: 'string', value: 'N', description: 'seeds per head (1..N)', default: '5' },
    out: { type: 'string', value: 'DIR', description: 'output folder; rerun with the same DIR to continue an interrupted compare', required: true },
    parallel: { type: 'string', value: 'N', description: 'runs at a time, each in its own process (on the native backend each gets its share of the threads)', default: '1' },
    queue: { type: 'string', value: 'URL', description: `train the runs on \`maxpoolbert worker\`s through Redis: redis://[:PASSWORD@]HOST[:PORT][/DB] or rediss:// (password also from ${REDIS_PASSWORD_ENV})` },
    force: { type: 'boolean', description: 'train again the runs in OUT saved with other settings (without it, such a rerun is refused)' },
    'keep-checkpoints': { type: 'boolean', description: "keep each finished run's checkpoint/ (weights + optimizer moments, 3× the model; by default only best/ is kept)" },
    ...PASS_THROUGH,
    quiet: { type: 'boolean', description: 'no progress output' },
    ...BACKEND_OPTIONS,
  },
  details: 'Writes OUT/results.json, OUT/results.csv (one row per run), OUT/summary.csv (mean and sample std, n − 1, median, failed runs\n' +
    'per head and metric; each head against the baseline) and OUT/compare.svg (bars with ± 1 sample std error bars and a dot per seed,\n' +
    "each head's difference to the baseline with its CI, learning curves). Each run keeps OUT/runs/<head>/seed-<n>/best and results.json.\n" +
    'Reading the statistics (second table, results.json "comparison", summary.csv): each head against the baseline on the\n' +
    'main metric, runs paired by seed. Δ: the mean difference (×100 for scores) with its 95 % bootstrap CI; a CI without 0\n' +
    'means the seeds support a difference. p: two-sided paired t and Wilcoxon (Welch\'s t when the seeds differ), the chance\n' +
    'of a difference at least this large if the heads were equal; the verdict is "better/worse (significant at α=0.05)"\n' +
    'when the t-test\'s p < 0.05. ASO ε_min < 0.5: the head scores better more often than not (smaller is stronger).\n' +
    'With 5 seeds the tests have little power: "no evidence" is not proof of no difference. "failed" counts runs stuck at\n' +
    'one class (every dev example predicted alike): they are counted, not dropped.\n' + QUEUE_HELP,
  async run(opts, _pos, io) {
    const headNames = listOption(opts, 'heads');
    if (!headNames.length) throw new UsageError('--heads needs at least one head, e.g. --heads cls,max-seq-mha');
    for (const h of headNames) asUsage(() => heads.get(h)); // unknown names fail (exit 2) before any training
    resolveBaseline(headNames, stringOption(opts, 'baseline')); // so does a --baseline that is not among them
    dataArgsFrom(opts); // so do missing or misplaced data flags
    const seedCount = intOption(opts, 'seeds')!;
    const problems = validateTrainOptions(trainOptionsFrom(opts, 1));
    if (problems.length) throw new UsageError(problems.join('; '));
    refuseIfLocked(stringOption(opts, 'out')!); // another compare or train works there: say so before any work
    const queueUrl = stringOption(opts, 'queue');
    const queue = queueUrl === undefined ? undefined : parseRedisUrl(queueUrl);
    if (queue) {
      const given = givenOptions(opts);
      if (given.has('parallel')) throw new UsageError('--parallel is for local runs; with --queue each worker decides (maxpoolbert worker --concurrency N)');
      for (const flag of ['backend', 'threads', 'allow-fallback']) {
        if (given.has(flag)) throw new UsageError(`--${flag} is chosen by each worker with --queue: pass it to maxpoolbert worker`);
      }
      await checkRedisReachable(queue); // one clear line within seconds, before any work
    }
    // A distributed compare trains nothing here: no backend to start.
    const backend = queue ? undefined : await startBackend(opts, io);
    const table = await runCompare({
      model: path.resolve(stringOption(opts, 'model')!), heads: headNames, seeds: Array.from({ length: seedCount }, (_, i) => i + 1),
      out: stringOption(opts, 'out')!, parallel: intOption(opts, 'parallel')!, opts, queue,
    }, io, backend);
    io.stdout(table);
  },
};
