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
  const files = await classifierFolderFiles(loaded.model, loaded.config, loaded.tokenizerFiles);
  files.set('optimizer.safetensors', encodeSafetensors(optimizer.moments, { step: String(optimizer.step) }));
  files.set('trainer_state.json', json(state));
  files.set('training_args.json', json(args));
  await writeFolderAtomic(path.join(outDir, CHECKPOINT_DIR), files);
}

/** Writes the best model so far as a plain fine-tuned model folder. */
export async function writeBestModel(outDir: string, loaded: LoadedClassifier): Promise<void> {
  await writeFolderAtomic(path.join(outDir, BEST_DIR), await classifierFolderFiles(loaded.model, loaded.config, loaded.tokenizerFiles));
}

export interface SavedCheckpoint {
  dir: string;
  state: TrainerState;
  optimizer: OptimizerSnapshot;
  args: TrainingArgs;
}

/** Reads `<outDir>/checkpoint`, or returns null when there is none yet. */
export async function readCheckpoint(outDir: string): Promise<SavedCheckpoint | null> {
  const dir = path.join(outDir, CHECKPOINT_DIR);
  await recoverFolder(dir); // a kill during the last checkpoint's swap leaves the previous one aside
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
