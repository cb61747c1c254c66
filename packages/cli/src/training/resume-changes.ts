import { MaxPoolBertError, type TrainerState, type TrainOptions } from '@maxpoolbert/core';
import { UsageError, type ParsedOptions } from '../command.js';
import { trainOptionsFrom } from './train-flags.js';

/**
 * `train --resume DIR` continues a run with the settings saved in its checkpoint. A few may
 * change, for the cases a resume is for: a diverged run (a lower --lr, tighter clipping), a run
 * that should go on longer or stop sooner (--epochs, --early-stopping), evaluation cadence. What
 * defines the run (model, head, data, batch, sequence length, seed, …) stays: changing it would
 * silently mix two runs, so those flags are refused by name.
 */

/** The flags a resume may change, and the training option each sets. */
export const RESUME_FLAGS = {
  lr: 'learningRate',
  epochs: 'epochs',
  'early-stopping': 'earlyStoppingPatience',
  'eval-every': 'evalEvery',
  'eval-batch-size': 'evalBatchSize',
  'max-grad-norm': 'maxGradNorm',
} as const satisfies Record<string, keyof TrainOptions>;

/** Flags about how to run, not what to train: any resume takes them. */
const RUN_FLAGS = new Set(['resume', 'quiet', 'json-log', 'backend', 'threads', 'allow-fallback']);

export type ResumeChanges = Partial<Pick<TrainOptions, (typeof RESUME_FLAGS)[keyof typeof RESUME_FLAGS]>>;

/** The flags `train --help` lists as changeable on resume. */
export const RESUME_FLAG_LIST = Object.keys(RESUME_FLAGS).map((f) => `--${f}`).join(', ');

/**
 * The changes `train --resume` was asked for (the flags the user passed, `given`). Refuses, in
 * one line, the flags a resume cannot change.
 */
export function resumeChangesFrom(opts: ParsedOptions, given: Set<string>): ResumeChanges {
  const fixed = [...given].filter((k) => !RUN_FLAGS.has(k) && !(k in RESUME_FLAGS));
  if (fixed.length) {
    throw new UsageError(
      `train --resume: ${fixed.map((k) => `--${k}`).join(', ')} cannot change when resuming (the run keeps the settings it started with; ` +
        `start a new run with another --out for that); a resume may change ${RESUME_FLAG_LIST}`,
    );
  }
  // Parsed and range-checked as for a new run (the seed does not matter here).
  const parsed = trainOptionsFrom(opts, 0);
  const changes: ResumeChanges = {};
  for (const [flag, key] of Object.entries(RESUME_FLAGS)) {
    if (given.has(flag)) (changes as Record<string, number | undefined>)[key] = parsed[key];
  }
  return changes;
}

/** "--lr 0.001 → 0.0005" for each change that differs from the saved options. */
export function describeResumeChanges(saved: TrainOptions, changes: ResumeChanges): string[] {
  return Object.entries(RESUME_FLAGS)
    .filter(([, key]) => key in changes && changes[key] !== saved[key])
    .map(([flag, key]) => `--${flag} ${saved[key] ?? 'unset'} → ${changes[key]}`);
}

/**
 * Applies `changes` to a saved run: the new options, and the trainer state made consistent
 * with them. More epochs extend the run (also a finished one; the learning-rate schedule is
 * recomputed for the new length), fewer end it sooner but never before the steps already done;
 * a larger --early-stopping lets a run that stopped early go on.
 */
export function applyResumeChanges(
  options: TrainOptions, state: TrainerState, changes: ResumeChanges, batchesPerEpoch: number,
): { options: TrainOptions; state: TrainerState } {
  const next: TrainOptions = { ...options, ...changes };
  const s: TrainerState = { ...state };
  const totalSteps = batchesPerEpoch * next.epochs;
  if (totalSteps < s.step) {
    throw new UsageError(
      `train --resume: --epochs ${next.epochs} gives ${totalSteps} steps, but the run is at step ${s.step}; ` +
        `pass --epochs ${Math.ceil(s.step / batchesPerEpoch)} or more`,
    );
  }
  if (s.totalSteps !== totalSteps && changes.epochs === undefined) {
    throw new MaxPoolBertError(`the checkpoint was made for ${s.totalSteps} steps but its data gives ${totalSteps}: the data changed since the run started`);
  }
  s.totalSteps = totalSteps;
  if (s.finished) {
    const patienceLeft = next.earlyStoppingPatience === undefined || s.evalsWithoutImprovement < next.earlyStoppingPatience;
    if (s.stoppedEarly ? patienceLeft && s.step < totalSteps : s.step < totalSteps) {
      s.finished = false;
      s.stoppedEarly = false;
    }
  }
  return { options: next, state: s };
}
