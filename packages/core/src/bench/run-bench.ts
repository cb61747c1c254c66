import * as tf from '@tensorflow/tfjs-core';
import { benchInference } from './inference-bench.js';
import { measureMatmulCeiling, type MatmulCeiling } from './matmul-ceiling.js';
import type { BenchMode, StepBenchResult } from './step-bench.js';
import { benchTrainStep, type TrainBenchOptions } from './train-step-bench.js';

/** One benchmark figure set: a step benchmark on the current backend, against its matmul ceiling. */
export interface BenchRecord extends StepBenchResult {
  /** `tf.getBackend()` while it ran. */
  tfBackend: string;
  /** The backend's large-matmul rate, measured in the same run. */
  ceiling: MatmulCeiling;
  /** Achieved median GFLOP/s ÷ ceiling GFLOP/s. */
  ceilingRatio: number;
  /** (median step − the cls head's median step) ÷ the cls head's, in %; null for cls or when cls was not run. */
  headOverheadPercent: number | null;
  /** The same from the fastest runs: steadier than the median on a machine shared with other work. */
  headOverheadPercentBest: number | null;
}

export interface RunBenchOptions extends TrainBenchOptions {
  mode: BenchMode;
  /** A ceiling measured earlier in the same run; measured now when absent. */
  ceiling?: MatmulCeiling;
}

/**
 * Measures the matmul ceiling (unless given), then the inference or training step. Runs on
 * whatever tfjs backend is active: Node and browsers alike.
 */
export async function runBench(o: RunBenchOptions): Promise<BenchRecord> {
  const ceiling = o.ceiling ?? (await measureMatmulCeiling());
  const result = o.mode === 'train' ? await benchTrainStep(o) : await benchInference(o);
  return { ...result, tfBackend: tf.getBackend(), ceiling, ceilingRatio: result.gflops.median / ceiling.gflops, headOverheadPercent: null, headOverheadPercentBest: null };
}

/**
 * Fills `headOverheadPercent`: each record against the `cls` record with the same backend,
 * preset, mode, batch and seq (records are grouped by `key`, e.g. including the backend name).
 */
export function withHeadOverheads<R extends BenchRecord>(records: R[], key: (r: R) => string = (r) => r.tfBackend): R[] {
  const group = (r: R) => [key(r), r.preset, r.mode, r.batch, r.seq].join('|');
  const cls = new Map(records.filter((r) => r.head === 'cls').map((r) => [group(r), r]));
  return records.map((r) => {
    const base = r.head === 'cls' ? undefined : cls.get(group(r));
    const percent = (ms: number, baseMs: number) => (100 * (ms - baseMs)) / baseMs;
    return {
      ...r,
      headOverheadPercent: base ? percent(r.timing.medianMs, base.timing.medianMs) : null,
      headOverheadPercentBest: base ? percent(r.timing.minMs, base.timing.minMs) : null,
    };
  });
}
