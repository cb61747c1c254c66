import { validateTrainOptions, type TrainOptions } from '../train/options.js';

/**
 * Masked-LM (continued) pre-training settings: the fine-tuning optimiser settings (AdamW,
 * linear warm-up/decay, clipping, accumulation) plus how the text becomes examples and how
 * they are masked. The defaults follow Hugging Face's `run_mlm.py` where it has one
 * (lr 5e-5, mlm_probability 0.15, 5 % validation) and the fine-tuning defaults elsewhere.
 */
export interface PretrainOptions {
  epochs: number;
  /** Examples (blocks or lines) per optimizer step, split into `gradientAccumulation` micro-batches. */
  batchSize: number;
  learningRate: number;
  warmupSteps?: number;
  warmupRatio: number;
  weightDecay: number;
  /** 0 turns clipping off. */
  maxGradNorm: number;
  gradientAccumulation: number;
  /** Block length (grouped text) or truncation length (line by line), special tokens included. */
  maxLength: number;
  seed: number;
  /** Evaluate (and checkpoint) every N optimizer steps; unset = at the end of every epoch. */
  evalEvery?: number;
  evalBatchSize: number;
  /** One example per line (truncated, padded per batch) instead of grouped blocks. */
  lineByLine: boolean;
  mlmProbability: number;
  wholeWordMask: boolean;
}

export const DEFAULT_PRETRAIN_OPTIONS: PretrainOptions = {
  epochs: 3,
  batchSize: 32,
  learningRate: 5e-5,
  warmupRatio: 0.1,
  weightDecay: 0.01,
  maxGradNorm: 1.0,
  gradientAccumulation: 1,
  maxLength: 128,
  seed: 42,
  evalBatchSize: 64,
  lineByLine: false,
  mlmProbability: 0.15,
  wholeWordMask: false,
};

/** The share of the text held out for validation when no validation text is given (run_mlm.py's 5 %). */
export const DEFAULT_VALIDATION_SPLIT = 0.05;

/** Problems with the settings, each naming the option and its valid range (empty when fine). */
export function validatePretrainOptions(o: PretrainOptions): string[] {
  const asTrain: TrainOptions = { ...o, lengthBucketing: false, earlyStoppingPatience: undefined };
  const problems = validateTrainOptions(asTrain);
  if (!(o.mlmProbability > 0 && o.mlmProbability < 1)) problems.push(`mlmProbability must be in (0, 1), got ${o.mlmProbability}`);
  return problems;
}
