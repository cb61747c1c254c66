import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { TrainerState } from '@maxpoolbert/core';
import { CHECKPOINT_DIR, RESULTS_FILE } from './checkpoint.js';
import type { RunResult } from './run-training.js';

/** Where a run folder stands, read without changing anything in it. */
export type RunFolderState =
  | { kind: 'finished'; result: RunResult }
  | { kind: 'started'; step: number; totalSteps: number }
  | { kind: 'new' };

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await fsp.readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * A run folder's state: finished (its results.json, with no checkpoint left, removed after the
 * run, or a finished one), started (a checkpoint at some step; also one a kill left aside
 * mid-swap) or new. It only reads (unlike readCheckpoint, which puts back folders a kill left
 * aside), so a coordinator may look into a folder while a worker elsewhere trains in it.
 */
export async function peekRunFolder(dir: string): Promise<RunFolderState> {
  let state: TrainerState | null = null;
  for (const name of [CHECKPOINT_DIR, `.${CHECKPOINT_DIR}.previous`]) {
    state = await readJson<TrainerState>(path.join(dir, name, 'trainer_state.json'));
    if (state) break;
  }
  if (state && !state.finished) return { kind: 'started', step: state.step, totalSteps: state.totalSteps };
  const result = await readJson<RunResult>(path.join(dir, RESULTS_FILE));
  if (result) return { kind: 'finished', result };
  return state ? { kind: 'started', step: state.step, totalSteps: state.totalSteps } : { kind: 'new' };
}

/** The run's result when its folder says it is finished, else null (see peekRunFolder). */
export async function readFinishedRun(dir: string): Promise<RunResult | null> {
  const s = await peekRunFolder(dir);
  return s.kind === 'finished' ? s.result : null;
}
