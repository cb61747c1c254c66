import type { MetricName } from '../metrics/index.js';
import type { PredictionSpread } from './evaluate.js';

/** One evaluation during training. */
export interface EvalRecord {
  step: number;
  /** Epochs completed at this point, fractional for mid-epoch evaluations (e.g. 1.5). */
  epoch: number;
  metrics: Partial<Record<MetricName, number>>;
  /** Dev loss. */
  loss: number;
  /** Mean training loss since the previous evaluation. */
  trainLoss: number;
  elapsedMs: number;
  /**
   * How varied the dev predictions were (a single class = the run collapsed to it). Absent in
   * evaluations recorded before it existed, so older results.json files still load.
   */
  predictionSpread?: PredictionSpread;
}

/**
 * Everything besides weights and optimizer moments that a resumed run needs to continue exactly
 * where the checkpoint was taken (saved as trainer_state.json).
 */
export interface TrainerState {
  /** Optimizer steps taken. */
  step: number;
  totalSteps: number;
  /** Epoch in progress (0-based) and the next batch of it to run. */
  epoch: number;
  batchInEpoch: number;
  /** The dropout RNG. */
  rng: { state: number; spareNormal: number | null };
  best: { metric: MetricName; value: number | null; step: number; epoch: number };
  evalsWithoutImprovement: number;
  history: EvalRecord[];
  /** Training loss per optimizer step, for learning curves. */
  losses: number[];
  /** Wall time spent training so far, across resumes. */
  elapsedMs: number;
  /** Set when training ended (all epochs, or early stopping). */
  finished: boolean;
  stoppedEarly: boolean;
}
