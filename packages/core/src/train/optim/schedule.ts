/** A learning-rate schedule: the lr for optimizer step `step` (0-based, the step about to be taken). */
export type LrSchedule = (step: number) => number;

export interface LinearWarmupDecayOptions {
  /** The learning rate reached at the end of warmup (the optimizer's base lr). */
  peakLr: number;
  /** Total number of optimizer steps T. */
  totalSteps: number;
  /** Warmup steps W (see {@link warmupStepsFrom}). */
  warmupSteps: number;
}

function checkCount(what: string, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer, got ${n}`);
}

/**
 * Hugging Face's `get_linear_schedule_with_warmup` (a `LambdaLR` over the optimizer's lr): at
 * step t, `peakLr · t / max(1, W)` while t < W, then `peakLr · max(0, (T − t) / max(1, T − W))`.
 * Like HF, the very first step (t = 0) has lr 0 when W > 0, the peak is reached at t = W, and the
 * lr is 0 from t = T on.
 */
export function linearWarmupDecay(options: LinearWarmupDecayOptions): LrSchedule {
  const { peakLr, totalSteps, warmupSteps } = options;
  if (!Number.isFinite(peakLr) || peakLr < 0) throw new RangeError(`peakLr must be a finite number >= 0, got ${peakLr}`);
  checkCount('totalSteps', totalSteps);
  checkCount('warmupSteps', warmupSteps);
  return (step: number) => {
    if (!Number.isFinite(step) || step < 0) throw new RangeError(`step must be a finite number >= 0, got ${step}`);
    if (step < warmupSteps) return peakLr * (step / Math.max(1, warmupSteps));
    return peakLr * Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
  };
}

export interface WarmupStepsOptions {
  /** Explicit warmup steps; wins over `warmupRatio` when > 0 (as HF's `TrainingArguments`). */
  warmupSteps?: number;
  /** Fraction of `totalSteps` in [0, 1]; warmup is `ceil(warmupRatio · totalSteps)`. */
  warmupRatio?: number;
  totalSteps: number;
}

/**
 * HF `TrainingArguments.get_warmup_steps`: `warmupSteps` if it is > 0, else
 * `ceil(totalSteps · warmupRatio)` (0 when neither is given).
 */
export function warmupStepsFrom(options: WarmupStepsOptions): number {
  const { warmupSteps = 0, warmupRatio = 0, totalSteps } = options;
  checkCount('totalSteps', totalSteps);
  checkCount('warmupSteps', warmupSteps);
  if (!Number.isFinite(warmupRatio) || warmupRatio < 0 || warmupRatio > 1) {
    throw new RangeError(`warmupRatio must be in [0, 1], got ${warmupRatio}`);
  }
  return warmupSteps > 0 ? warmupSteps : Math.ceil(totalSteps * warmupRatio);
}
