import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import {
  classifierFolderFiles, encodeSafetensors, inputError, readSafetensors,
  type HeadSpec, type LabelSet, type LoadedClassifier, type OptimizerSnapshot, type TrainerState, type TrainOptions,
} from '@maxpoolbert/core';
import { FsModelSource, recoverFolder, writeFolderAtomic } from '@maxpoolbert/backend-node';
import type { DataArgs } from './data-source.js';

/** Layout of a training output folder. */
export const CHECKPOINT_DIR = 'checkpoint';
export const BEST_DIR = 'best';
export const RESULTS_FILE = 'results.json';

/** Everything needed to run (or resume) a training run, saved as training_args.json. */
export interface TrainingArgs {
  model: string;
  head: HeadSpec;
  data: DataArgs;
  dataSeed: number;
  options: TrainOptions;
  labels: LabelSet;
  /** --no-pooler: the model is built without a pooler (a resumed run reloads it without one from its checkpoint). */
  noPooler?: boolean;
  /** What the loaded examples hash to (run-settings.ts), so a run is never continued on other data. */
  dataFingerprint?: string;
}

const json = (value: unknown) => [new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n')];

/**
 * Writes the resumable checkpoint: a complete model folder (loadable by predict) plus the
 * optimizer moments, the trainer state and the run's arguments. The folder is swapped in
 * atomically, so a kill at any moment leaves the previous checkpoint or this one, whole.
 */
export async function writeCheckpoint(
  outDir: string, loaded: LoadedClassifier, state: TrainerState, optimizer: OptimizerSnapshot, args: TrainingArgs,
): Promise<void> {
  const files = await classifierFolderFiles(loaded.model, loaded.config, loaded.tokenizerFiles, { maxLength: args.options.maxLength });
  files.set('optimizer.safetensors', encodeSafetensors(optimizer.moments, { step: String(optimizer.step) }));
  files.set('trainer_state.json', json(state));
  files.set('training_args.json', json(args));
  await writeFolderAtomic(path.join(outDir, CHECKPOINT_DIR), files);
}

/**
 * Writes the best model so far as a plain fine-tuned model folder; `maxLength`, the run's, is
 * recorded in its config.json (eval, predict and embed default to it).
 */
export async function writeBestModel(outDir: string, loaded: LoadedClassifier, maxLength?: number): Promise<void> {
  await writeFolderAtomic(path.join(outDir, BEST_DIR), await classifierFolderFiles(loaded.model, loaded.config, loaded.tokenizerFiles, { maxLength }));
}

export interface SavedCheckpoint {
  dir: string;
  state: TrainerState;
  optimizer: OptimizerSnapshot;
  args: TrainingArgs;
}

/**
 * Reads `<outDir>/checkpoint`, or returns null when there is none yet. A kill during the swap of
 * checkpoint/ or best/ (writeFolderAtomic) leaves the previous folder aside: both are put back.
 * Call it only while holding the folder's lock (out-lock.ts): recovery moves folders.
 */
export async function readCheckpoint(outDir: string): Promise<SavedCheckpoint | null> {
  const dir = path.join(outDir, CHECKPOINT_DIR);
  await recoverFolder(dir);
  await recoverFolder(path.join(outDir, BEST_DIR));
  if (!(await fsp.stat(path.join(dir, 'trainer_state.json')).catch(() => null))) return null;
  const readJson = async <T>(name: string): Promise<T> => {
    const file = path.join(dir, name);
    try {
      return JSON.parse(await fsp.readFile(file, 'utf8')) as T;
    } catch (err) {
      throw inputError(`cannot read (${(err as Error).message})`, { file, fix: 'the checkpoint is damaged; start the run again without --resume' });
    }
  };
  const state = await readJson<TrainerState>('trainer_state.json');
  const moments = await readSafetensors(new FsModelSource(dir), 'optimizer.safetensors');
  // The optimizer steps once per trainer step, so the trainer's count is the optimizer's.
  return { dir, state, optimizer: { step: state.step, moments }, args: await readJson<TrainingArgs>('training_args.json') };
}

/** Whether `outDir` holds a run's checkpoint, counting one a kill left aside mid-swap. Reads only. */
export async function holdsCheckpoint(outDir: string): Promise<boolean> {
  for (const dir of [CHECKPOINT_DIR, `.${CHECKPOINT_DIR}.previous`]) {
    if (await fsp.stat(path.join(outDir, dir, 'trainer_state.json')).catch(() => null)) return true;
  }
  return false;
}

/**
 * The settings a run in `outDir` was trained with, without changing anything there: from its
 * checkpoint (the latest; also one a kill left aside mid-swap), else from its results.json (a
 * finished run whose checkpoint was dropped). Null when the folder holds no run.
 */
export async function peekTrainingArgs(outDir: string): Promise<TrainingArgs | null> {
  const readJson = async (file: string) => {
    try {
      return JSON.parse(await fsp.readFile(path.join(outDir, file), 'utf8')) as Record<string, unknown>;
    } catch {
      return null;
    }
  };
  for (const dir of [CHECKPOINT_DIR, `.${CHECKPOINT_DIR}.previous`]) {
    const args = await readJson(path.join(dir, 'training_args.json'));
    if (args) return args as unknown as TrainingArgs;
  }
  const results = await readJson(RESULTS_FILE);
  return (results?.settings as TrainingArgs | undefined) ?? null;
}
