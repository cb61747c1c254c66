import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import {
  encodeSafetensors, inputError, maskedLmFolderFiles, readSafetensors, type LoadedMaskedLm, type OptimizerSnapshot, type PretrainState,
} from '@maxpoolbert/core';
import { FsModelSource, recoverFolder, writeFileAtomic, writeFolderAtomic } from '@maxpoolbert/backend-node';
import type { PretrainRunArgs } from './pretrain-flags.js';

/**
 * Layout of a pre-training output folder: the final model (a Hugging Face `BertForMaskedLM`
 * folder: config.json, model.safetensors, tokenizer files) at the top, so OUT itself is a
 * `--model` for train, embed, fill-mask or pretrain; checkpoint/ (resumable) beside it while the
 * run goes on; pretrain_curve.svg (the loss and perplexity drawn) and pretrain_results.json (the
 * history; written last, it marks the run finished) once it has finished.
 */
export const CHECKPOINT_DIR = 'checkpoint';
export const RESULTS_FILE = 'pretrain_results.json';
export const CHART_FILE = 'pretrain_curve.svg';
const STATE_FILE = 'pretrainer_state.json';
const ARGS_FILE = 'pretrain_args.json';

const json = (value: unknown) => [new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n')];

/**
 * The resumable checkpoint: a complete masked-LM folder plus optimizer moments, state and the
 * run's arguments, swapped in whole (a kill at any moment leaves the previous one or this one).
 */
export async function writePretrainCheckpoint(
  outDir: string, loaded: LoadedMaskedLm, state: PretrainState, optimizer: OptimizerSnapshot, args: PretrainRunArgs,
): Promise<void> {
  const files = await maskedLmFolderFiles(loaded.model, loaded.tokenizerFiles);
  files.set('optimizer.safetensors', encodeSafetensors(optimizer.moments, { step: String(optimizer.step) }));
  files.set(STATE_FILE, json(state));
  files.set(ARGS_FILE, json(args));
  await writeFolderAtomic(path.join(outDir, CHECKPOINT_DIR), files);
}

/**
 * The final model, file by file into OUT (each written atomically). The weights go last but one
 * and the results file last: a run killed in between is still unfinished and `--resume` writes
 * them again from its (finished) checkpoint.
 */
export async function writeFinalModel(outDir: string, loaded: LoadedMaskedLm): Promise<void> {
  const files = await maskedLmFolderFiles(loaded.model, loaded.tokenizerFiles);
  const order = [...files.keys()].sort((a, b) => Number(a === 'model.safetensors') - Number(b === 'model.safetensors'));
  for (const name of order) await writeFileAtomic(path.join(outDir, name), files.get(name)!);
}

export interface SavedPretrainCheckpoint {
  dir: string;
  state: PretrainState;
  optimizer: OptimizerSnapshot;
  args: PretrainRunArgs;
}

/**
 * Reads `<outDir>/checkpoint`, or null when there is none. A kill mid-swap leaves the previous
 * folder aside: it is put back first. Call it only while holding the folder's lock.
 */
export async function readPretrainCheckpoint(outDir: string): Promise<SavedPretrainCheckpoint | null> {
  const dir = path.join(outDir, CHECKPOINT_DIR);
  await recoverFolder(dir);
  if (!(await fsp.stat(path.join(dir, STATE_FILE)).catch(() => null))) return null;
  const readJson = async <T>(name: string): Promise<T> => {
    const file = path.join(dir, name);
    try {
      return JSON.parse(await fsp.readFile(file, 'utf8')) as T;
    } catch (err) {
      throw inputError(`cannot read (${(err as Error).message})`, { file, fix: 'the checkpoint is damaged; start the run again without --resume' });
    }
  };
  const state = await readJson<PretrainState>(STATE_FILE);
  const moments = await readSafetensors(new FsModelSource(dir), 'optimizer.safetensors');
  // Steps that masked no token moved nothing: the optimizer's own count (optimizerSteps) can be lower.
  return { dir, state, optimizer: { step: state.optimizerSteps ?? state.step, moments }, args: await readJson<PretrainRunArgs>(ARGS_FILE) };
}

/** Whether `outDir` holds a pre-training checkpoint, counting one a kill left aside mid-swap. Reads only. */
export async function holdsPretrainCheckpoint(outDir: string): Promise<boolean> {
  for (const dir of [CHECKPOINT_DIR, `.${CHECKPOINT_DIR}.previous`]) {
    if (await fsp.stat(path.join(outDir, dir, STATE_FILE)).catch(() => null)) return true;
  }
  return false;
}
