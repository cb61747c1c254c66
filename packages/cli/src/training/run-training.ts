import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { fineTune, loadClassifier, MaxPoolBertError, type EvalRecord, type LoadedClassifier, type TrainerState } from '@maxpoolbert/core';
import { FsModelSource, writeFileAtomic } from '@maxpoolbert/backend-node';
import type { CliIo } from '../command.js';
import { ProgressReporter } from '../report/progress.js';
import { BEST_DIR, readCheckpoint, RESULTS_FILE, writeBestModel, writeCheckpoint, type TrainingArgs } from './checkpoint.js';
import { loadData, type LoadedData } from './data-source.js';

/** What one finished run reports (results.json, and a row of a compare). */
export interface RunResult {
  head: string;
  seed: number;
  data: string;
  mainMetric: string;
  /** Dev metrics of the best evaluation. */
  best: EvalRecord | null;
  history: EvalRecord[];
  losses: number[];
  steps: number;
  trainSeconds: number;
  stoppedEarly: boolean;
  bestModel: string;
  backend: string;
  /** The backend's thread-pool size during the run, where it has one (training time depends on it). */
  threads?: number;
}

export interface RunTrainingOptions {
  io: CliIo;
  quiet?: boolean;
  /** Appends one JSON object per step and per evaluation. */
  jsonLog?: string;
  backend: string;
  /** The backend's thread-pool size, where it has one: recorded in the result. */
  threads?: number;
  /** A label for progress lines, e.g. "max-seq-mha seed 2". */
  label?: string;
  /** The run's data, when the caller has loaded it already (a compare loads it once for every run). */
  data?: LoadedData;
}

/**
 * Runs (or resumes) one fine-tuning run into `outDir`: checkpoint/ after every evaluation,
 * best/ whenever the main metric improves, results.json at the end. A run whose checkpoint is
 * already finished is not trained again, so interrupted compares pick up where they stopped.
 */
export async function runTraining(outDir: string, fresh: TrainingArgs | null, o: RunTrainingOptions): Promise<RunResult> {
  const saved = await readCheckpoint(outDir);
  if (!fresh && !saved) throw new MaxPoolBertError(`${path.resolve(outDir)}: no checkpoint to resume (start the run without --resume)`);
  if (fresh && saved) {
    throw new MaxPoolBertError(`${path.resolve(outDir)} already holds a run: continue it with --resume ${outDir}, or choose another --out`);
  }
  const args = saved?.args ?? fresh!;
  if (!saved) await fsp.mkdir(outDir, { recursive: true });

  const data = o.data ?? (await loadData(args.data, { needTrain: true, seed: args.dataSeed, labels: args.labels }));
  const loaded: LoadedClassifier = saved
    ? await loadClassifier(await FsModelSource.open(saved.dir), { trainable: true })
    : await loadClassifier(await FsModelSource.open(args.model), { head: args.head, labels: data.labels, seed: args.options.seed, trainable: true });
  const log = o.jsonLog ? await fsp.open(o.jsonLog, 'a') : null;
  const totalSteps = Math.ceil(data.train!.examples.length / args.options.batchSize) * args.options.epochs;
  const progress = new ProgressReporter({
    total: totalSteps, label: o.label ?? `train ${loaded.model.head.spec.type}`, isTty: o.io.isTty, write: o.io.stderr, quiet: o.quiet,
  });
  try {
    if (!o.quiet) {
      for (const s of data.skipped) o.io.stderr(`note: skipped ${s.count} bad rows in ${s.file}\n`);
      if (loaded.newlyInitialised.length && !saved) o.io.stderr(`note: newly initialised: ${loaded.newlyInitialised.join(', ')}\n`);
      if (saved) o.io.stderr(`resuming ${path.resolve(outDir)} at step ${saved.state.step}/${saved.state.totalSteps}\n`);
    }
    let state: TrainerState;
    if (saved?.state.finished) {
      state = saved.state;
    } else {
      state = await fineTune({
        model: loaded.model, tokenizer: loaded.tokenizer, train: data.train!, dev: data.dev,
        metrics: data.metrics, mainMetric: data.mainMetric, options: args.options,
        resume: saved ? { state: saved.state, optimizer: saved.optimizer } : undefined,
        callbacks: {
          onStep: (p) => {
            progress.update(p.step, { epoch: `${p.epoch + 1}/${args.options.epochs}`, loss: p.loss, lr: p.learningRate });
            void log?.write(JSON.stringify({ type: 'step', ...p }) + '\n');
          },
          onEvaluation: async (record, improved) => {
            const shown = Object.entries(record.metrics).map(([k, v]) => `${k} ${(v as number).toFixed(4)}`).join(', ');
            progress.message(`eval at step ${record.step}: ${shown}${improved ? ' (best so far)' : ''}`);
            await log?.write(JSON.stringify({ type: 'eval', improved, ...record }) + '\n');
            if (improved) await writeBestModel(outDir, loaded);
          },
          onCheckpoint: (s, optimizer) => writeCheckpoint(outDir, loaded, s, optimizer, args),
        },
      });
      progress.finish();
    }
    const best = state.history.find((h) => h.step === state.best.step) ?? null;
    const result: RunResult = {
      head: loaded.model.head.spec.type, seed: args.options.seed, data: data.description, mainMetric: data.mainMetric,
      best, history: state.history, losses: state.losses, steps: state.step, trainSeconds: state.elapsedMs / 1000,
      stoppedEarly: state.stoppedEarly, bestModel: path.resolve(outDir, BEST_DIR), backend: o.backend,
      ...(o.threads ? { threads: o.threads } : {}),
    };
    await writeFileAtomic(path.join(outDir, RESULTS_FILE), [JSON.stringify(result, null, 2) + '\n']);
    return result;
  } finally {
    await log?.close();
    loaded.model.dispose();
  }
}
