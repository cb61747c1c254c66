import { validateTrainOptions, type TrainOptions } from '../train/options.js';

/**
 * Masked-LM (continued) pre-training settings: the fine-tuning optimiser settings (AdamW,
 * linear warm-up/decay, clipping, accumulation) plus how the text becomes examples and how
 * they are masked. The defaults follow Hugging Face's `run_mlm.py` where it has one
 * (lr 5e-5, mlm_probability 0.15, 5 % validation) and the fine-tuning defaults elsewhere.
 * The optimiser settings are fine-tuning's, field for field (`maxLength` is the block length of
 * grouped text, or the truncation length line by line; `evalEvery` also checkpoints); only what
 * fine-tuning alone has (early stopping, length bucketing) is left out.
 */
export interface PretrainOptions extends Omit<TrainOptions, 'earlyStoppingPatience' | 'lengthBucketing'> {
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
