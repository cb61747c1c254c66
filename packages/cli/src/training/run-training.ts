import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { fineTune, loadClassifier, MaxPoolBertError, type EvalRecord, type LoadedClassifier, type StepProgress, type TrainerState } from '@maxpoolbert/core';
import { FsModelSource, writeFileAtomic } from '@maxpoolbert/backend-node';
import type { CliIo } from '../command.js';
import { ProgressReporter } from '../report/progress.js';
import { BEST_DIR, holdsCheckpoint, readCheckpoint, RESULTS_FILE, writeBestModel, writeCheckpoint, type TrainingArgs } from './checkpoint.js';
import { loadData, type LoadedData } from './data-source.js';
import { JsonLog } from './json-log.js';
import { lockOutFolder } from './out-lock.js';
import { applyResumeChanges, describeResumeChanges, type ResumeChanges } from './resume-changes.js';
import { dataFingerprint } from './run-settings.js';

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
  /** What the run was trained with: a compare run again into the same folder checks it. */
  settings?: TrainingArgs;
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
  /** Settings a resumed run changes (`train --resume DIR --lr …`, see resume-changes.ts). */
  resumeChanges?: ResumeChanges;
  /** Called after every optimizer step (a compare's progress over all its runs). */
  onStep?: (progress: StepProgress) => void;
}

const alreadyHolds = (outDir: string) =>
  new MaxPoolBertError(`${path.resolve(outDir)} already holds a run: continue it with --resume ${outDir}, or choose another --out`);
const nothingToResume = (outDir: string) =>
  new MaxPoolBertError(`${path.resolve(outDir)}: no checkpoint to resume (start the run without --resume)`);

/**
 * Runs (or resumes) one fine-tuning run into `outDir`: checkpoint/ after every evaluation,
 * best/ whenever the main metric improves, results.json at the end. A run whose checkpoint is
 * already finished is not trained again, so interrupted compares pick up where they stopped.
 *
 * A new run is checked first (the folder holds no run, the data loads, the model and head can
 * be built) and creates nothing when it cannot start. The folder is locked while the run works
 * in it (out-lock.ts): a second process on the same folder is refused.
 */
export async function runTraining(outDir: string, fresh: TrainingArgs | null, o: RunTrainingOptions): Promise<RunResult> {
  let prepared: { data: LoadedData; loaded: LoadedClassifier } | undefined;
  if (fresh) {
    if (await holdsCheckpoint(outDir)) throw alreadyHolds(outDir);
    if (await fsp.stat(path.join(outDir, RESULTS_FILE)).catch(() => null)) {
      throw new MaxPoolBertError(`${path.resolve(outDir)} already holds a finished run (${RESULTS_FILE}): choose another --out`);
    }
    const data = o.data ?? (await loadData(fresh.data, { needTrain: true, seed: fresh.dataSeed, labels: fresh.labels }));
    const loaded = await loadClassifier(await FsModelSource.open(fresh.model), {
      head: fresh.head, labels: data.labels, seed: fresh.options.seed, trainable: true, ...(fresh.noPooler ? { pooler: false } : {}),
    });
    prepared = { data, loaded };
  } else if (!(await fsp.stat(outDir).catch(() => null))?.isDirectory()) {
    throw nothingToResume(outDir);
  }
  let lock;
  try {
    lock = lockOutFolder(outDir, fresh ? 'train' : 'train --resume', { create: !!fresh });
  } catch (err) {
    prepared?.loaded.model.dispose();
    throw err;
  }
  try {
    return await trainInLockedFolder(outDir, fresh, prepared, o);
  } finally {
    lock.release();
  }
}

async function trainInLockedFolder(
  outDir: string, fresh: TrainingArgs | null, prepared: { data: LoadedData; loaded: LoadedClassifier } | undefined, o: RunTrainingOptions,
): Promise<RunResult> {
  let loaded = prepared?.loaded;
  let log: JsonLog | undefined;
  try {
    const saved = await readCheckpoint(outDir); // under the lock: it puts back folders a kill left aside
    if (!fresh && !saved) throw nothingToResume(outDir);
    if (fresh && saved) throw alreadyHolds(outDir); // started in the meantime by another process

    const data = prepared?.data ?? o.data ?? (await loadData(saved!.args.data, { needTrain: true, seed: saved!.args.dataSeed, labels: saved!.args.labels }));
    const fingerprint = dataFingerprint(data);
    let args: TrainingArgs;
    let resumeState: TrainerState | undefined;
    let changes: string[] = [];
    if (saved) {
      if (saved.args.dataFingerprint && saved.args.dataFingerprint !== fingerprint) {
        throw new MaxPoolBertError(`${path.resolve(outDir)}: the data differ from those the run started with (files edited since?): resume with the same data, or start a new run`);
      }
      const batchesPerEpoch = Math.ceil(data.train!.examples.length / saved.args.options.batchSize);
      const applied = applyResumeChanges(saved.args.options, saved.state, o.resumeChanges ?? {}, batchesPerEpoch);
      changes = describeResumeChanges(saved.args.options, o.resumeChanges ?? {});
      args = { ...saved.args, options: applied.options, dataFingerprint: fingerprint };
      resumeState = applied.state;
      loaded = await loadClassifier(await FsModelSource.open(saved.dir), { trainable: true });
    } else {
      args = { ...fresh!, dataFingerprint: fingerprint };
    }
    const model = loaded!;
    log = o.jsonLog ? await JsonLog.open(o.jsonLog) : undefined;
    const totalSteps = Math.ceil(data.train!.examples.length / args.options.batchSize) * args.options.epochs;
    const progress = new ProgressReporter({
      total: totalSteps, label: o.label ?? `train ${model.model.head.spec.type}`, isTty: o.io.isTty, write: o.io.stderr, quiet: o.quiet,
    });
    if (!o.quiet) {
      for (const s of data.skipped) o.io.stderr(`note: skipped ${s.count} bad rows in ${s.file}\n`);
      for (const n of data.notes) o.io.stderr(`note: ${n}\n`);
      if (model.newlyInitialised.length && !saved) o.io.stderr(`note: newly initialised: ${model.newlyInitialised.join(', ')}\n`);
      if (model.report.poolerInitialised && !saved) o.io.stderr('note: pooler: newly initialised (the checkpoint has none)\n');
      if (saved) o.io.stderr(`resuming ${path.resolve(outDir)} at step ${saved.state.step}/${resumeState!.totalSteps}${changes.length ? ` with ${changes.join(', ')}` : ''}\n`);
      if (changes.length && resumeState!.finished && resumeState!.stoppedEarly) {
        o.io.stderr(`note: the run stopped early (${resumeState!.evalsWithoutImprovement} evaluations without improvement): pass a larger --early-stopping to continue it\n`);
      }
    }
    let state: TrainerState;
    if (resumeState?.finished) {
      state = resumeState;
    } else {
      state = await fineTune({
        model: model.model, tokenizer: model.tokenizer, train: data.train!, dev: data.dev,
        metrics: data.metrics, mainMetric: data.mainMetric, options: args.options,
        resume: saved ? { state: resumeState!, optimizer: saved.optimizer } : undefined,
        callbacks: {
          onStep: (p) => {
            progress.update(p.step, { epoch: `${p.epoch + 1}/${args.options.epochs}`, loss: p.loss, lr: p.learningRate });
            log?.write({ type: 'step', ...p });
            o.onStep?.(p);
          },
          onEvaluation: async (record, improved) => {
            const shown = Object.entries(record.metrics).map(([k, v]) => `${k} ${(v as number).toFixed(4)}`).join(', ');
            progress.message(`eval at step ${record.step}: ${shown}${improved ? ' (best so far)' : ''}`);
            log?.write({ type: 'eval', improved, ...record });
            await log?.flush();
            if (improved) await writeBestModel(outDir, model, args.options.maxLength);
          },
          onCheckpoint: (s, optimizer) => writeCheckpoint(outDir, model, s, optimizer, args),
        },
      });
      progress.finish();
    }
    await log?.flush();
    const best = state.history.find((h) => h.step === state.best.step) ?? null;
    const result: RunResult = {
      head: model.model.head.spec.type, seed: args.options.seed, data: data.description, mainMetric: data.mainMetric,
      best, history: state.history, losses: state.losses, steps: state.step, trainSeconds: state.elapsedMs / 1000,
      stoppedEarly: state.stoppedEarly, bestModel: path.resolve(outDir, BEST_DIR), backend: o.backend,
      ...(o.threads ? { threads: o.threads } : {}), settings: args,
    };
    await writeFileAtomic(path.join(outDir, RESULTS_FILE), [JSON.stringify(result, null, 2) + '\n']);
    return result;
  } finally {
    await log?.close();
    loaded?.model.dispose();
  }
}
