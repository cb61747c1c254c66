/** One evaluation of a pre-training run on the validation text. */
export interface MlmEvalRecord {
  step: number;
  /** Epochs completed at this point, fractional for mid-epoch evaluations. */
  epoch: number;
  /** Mean cross-entropy over the masked validation tokens. */
  loss: number;
  /** exp(loss). */
  perplexity: number;
  /** Masked validation tokens the loss is over (the same ones every evaluation). */
  maskedTokens: number;
  /** Mean training loss since the previous evaluation. */
  trainLoss: number;
  elapsedMs: number;
}

/**
 * Everything besides weights and optimizer moments that a resumed pre-training run needs to
 * continue exactly where its checkpoint was taken (saved as pretrainer_state.json). Masks need
 * no state: each batch's are drawn from a seed made of the run seed, the epoch and the batch.
 */
export interface PretrainState {
  step: number;
  totalSteps: number;
  /** Epoch in progress (0-based) and the next batch of it to run. */
  epoch: number;
  batchInEpoch: number;
  /** The dropout RNG. */
  rng: { state: number; spareNormal: number | null };
  history: MlmEvalRecord[];
  /** Training loss per optimizer step (mean over its masked tokens; null when it masked none). */
  losses: (number | null)[];
  /**
   * Optimizer updates taken: `step` less the steps whose batch masked no token (they move
   * nothing). A checkpoint's optimizer resumes from this count.
   */
  optimizerSteps: number;
  /** Real tokens trained on so far. */
  tokensSeen: number;
  elapsedMs: number;
  finished: boolean;
}
