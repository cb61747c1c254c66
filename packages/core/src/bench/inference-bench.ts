import { runStepBench, type StepBenchOptions, type StepBenchResult } from './step-bench.js';

/**
 * Inference speed of a random-weight classifier: one step = logits of a full [B, T] batch
 * (dropout off, no gradients), ending with a read of the logits.
 */
export async function benchInference(o: StepBenchOptions): Promise<StepBenchResult> {
  return runStepBench('inference', o, (model, batch) => ({
    step: async () => {
      const logits = model.logits(batch, { training: false });
      try {
        await logits.data();
      } finally {
        logits.dispose();
      }
    },
    dispose: () => undefined,
  }));
}

