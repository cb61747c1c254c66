import { SeededRng } from '../random/seeded-rng.js';
import { AdamW } from '../train/optim/index.js';
import { DEFAULT_TRAIN_OPTIONS } from '../train/options.js';
import { applyGradients, lossAndGradients, trainableParameters } from '../train/step.js';
import { readOne, runStepBench, type StepBenchOptions, type StepBenchResult } from './step-bench.js';

export interface TrainBenchOptions extends StepBenchOptions {
  /** Defaults: `fineTune`'s (lr 2e-5, weight decay 0.01, clipping at 1.0). */
  learningRate?: number;
  weightDecay?: number;
  maxGradNorm?: number;
}

/**
 * Training speed: one step is what `fineTune` does for one batch without accumulation — the
 * forward with dropout, cross-entropy, the backward (every parameter, embeddings included), a
 * read of the loss, global-norm clipping and the AdamW update — ending with a read of the last
 * updated parameter.
 */
export async function benchTrainStep(o: TrainBenchOptions): Promise<StepBenchResult> {
  const lr = o.learningRate ?? DEFAULT_TRAIN_OPTIONS.learningRate;
  const maxGradNorm = o.maxGradNorm ?? DEFAULT_TRAIN_OPTIONS.maxGradNorm;
  return runStepBench('train', o, (model, batch, labels) => {
    const params = trainableParameters(model);
    const optimizer = new AdamW({ weightDecay: o.weightDecay ?? DEFAULT_TRAIN_OPTIONS.weightDecay });
    const rng = new SeededRng(o.seed ?? 0);
    return {
      step: async () => {
        const { value, grads } = lossAndGradients(model, params, batch, labels, rng);
        try {
          await value.data();
        } finally {
          value.dispose();
        }
        const last = params.variables.get([...grads.keys()].at(-1)!)!;
        await applyGradients(optimizer, grads, params.variables, lr, maxGradNorm);
        await readOne(last);
      },
      dispose: () => optimizer.dispose(),
    };
  });
}
