import type { PredictionSpread } from '@maxpoolbert/core';
import type { RunResult } from '../../src/training/run-training';

/**
 * A finished run with these best dev metrics and a short learning curve that reaches them.
 * `spread`: the best evaluation's prediction spread; `null` for a results.json written before
 * evaluations recorded it. By default two classes, 60 % of the examples in the larger one.
 */
export function runResult(head: string, seed: number, metrics: Record<string, number>, spread: PredictionSpread | null = { distinct: 2, majorityShare: 0.6 }): RunResult {
  const history = [1, 2, 3].map((i) => ({
    step: i * 10, epoch: i / 3, loss: 0.5, trainLoss: 0.6, elapsedMs: i * 1000,
    metrics: Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, v - (3 - i) * 0.01])),
    ...(spread ? { predictionSpread: spread } : {}),
  }));
  return {
    head, seed, data: 'spam', mainMetric: Object.keys(metrics)[0]!, best: history[2]!, history, losses: [0.7, 0.3], steps: 30, trainSeconds: 12,
    stoppedEarly: false, bestModel: '/tmp/best', backend: 'wasm',
  };
}

/** Stuck at one class for every dev example: a failed run. */
export const ONE_CLASS: PredictionSpread = { distinct: 1, majorityShare: 1 };
