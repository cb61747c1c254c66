import { MIN_MAX_LENGTH, MIN_PAIR_MAX_LENGTH } from '../data/max-length.js';

/** Fine-tuning settings; the defaults are the usual BERT fine-tuning ones (and the CLI's). */
export interface TrainOptions {
  epochs: number;
  /** Examples per optimizer step (split into `gradientAccumulation` micro-batches). */
  batchSize: number;
  learningRate: number;
  /** Warm-up length: steps, or a ratio of the total steps when `warmupSteps` is unset. */
  warmupSteps?: number;
  warmupRatio: number;
  weightDecay: number;
  /** Global gradient-norm clipping threshold; 0 turns clipping off. */
  maxGradNorm: number;
  gradientAccumulation: number;
  maxLength: number;
  seed: number;
  /** Evaluate every N optimizer steps; unset = at the end of every epoch. */
  evalEvery?: number;
  /** Stop after this many evaluations without improvement; unset = never. */
  earlyStoppingPatience?: number;
  /** Group similar lengths into batches to cut padding. */
  lengthBucketing: boolean;
  /** Batch size for evaluation (no gradients, so it can be larger). */
  evalBatchSize: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  epochs: 3,
  batchSize: 32,
  learningRate: 2e-5,
  warmupRatio: 0.1,
  weightDecay: 0.01,
  maxGradNorm: 1.0,
  gradientAccumulation: 1,
  maxLength: 128,
  seed: 42,
  lengthBucketing: false,
  evalBatchSize: 64,
};

/** Checks settings before any work starts; the message names the option and a valid range. */
export function validateTrainOptions(o: TrainOptions): string[] {
  const problems: string[] = [];
  const positiveInt = (name: keyof TrainOptions, v: number | undefined) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) problems.push(`${name} must be an integer >= 1, got ${v}`);
  };
  positiveInt('epochs', o.epochs);
  positiveInt('batchSize', o.batchSize);
  positiveInt('gradientAccumulation', o.gradientAccumulation);
  positiveInt('maxLength', o.maxLength);
  positiveInt('evalEvery', o.evalEvery);
  positiveInt('earlyStoppingPatience', o.earlyStoppingPatience);
  positiveInt('evalBatchSize', o.evalBatchSize);
  // Smaller keeps no token of the text; pairs need 5, checked against the data (checkMaxLength).
  if (o.maxLength < MIN_MAX_LENGTH) problems.push(`maxLength must be at least ${MIN_MAX_LENGTH} ([CLS], a token, [SEP]; ${MIN_PAIR_MAX_LENGTH} for text pairs), got ${o.maxLength}`);
  if (!(o.learningRate > 0)) problems.push(`learningRate must be > 0, got ${o.learningRate}`);
  if (!(o.warmupRatio >= 0 && o.warmupRatio < 1)) problems.push(`warmupRatio must be in [0, 1), got ${o.warmupRatio}`);
  if (o.warmupSteps !== undefined && !(Number.isInteger(o.warmupSteps) && o.warmupSteps >= 0)) problems.push(`warmupSteps must be an integer >= 0`);
  if (!(o.weightDecay >= 0)) problems.push(`weightDecay must be >= 0, got ${o.weightDecay}`);
  if (!(o.maxGradNorm >= 0)) problems.push(`maxGradNorm must be >= 0, got ${o.maxGradNorm}`);
  if (o.batchSize % o.gradientAccumulation !== 0) {
    problems.push(`batchSize ${o.batchSize} must be a multiple of gradientAccumulation ${o.gradientAccumulation}`);
  }
  return problems;
}
