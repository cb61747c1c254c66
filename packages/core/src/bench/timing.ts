import { summarize } from '../metrics/index.js';
// One median for the whole package (core exports it from stats/): two `export *` of it would clash.
import { median } from '../stats/median.js';

/** Summary of timed runs, in milliseconds. */
export interface TimingStats {
  /** Every timed run, in order (warm-up runs excluded). */
  samplesMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  meanMs: number;
  /** Warm-up runs, in order (first-call costs: kernel compilation, lazily made optimizer moments). */
  warmupMs: number[];
}

export interface TimeRunsOptions {
  /** Untimed runs first (default 1). */
  warmup?: number;
  /** Timed runs (default 5, at least 1). */
  runs?: number;
  /** Clock in ms; default `performance.now` (Node and browsers). */
  now?: () => number;
  /** Called after every run, warm-up or timed (progress reporting). */
  onRun?: (info: { index: number; warmup: boolean; ms: number }) => void;
}

export function timingStats(samplesMs: number[], warmupMs: number[] = []): TimingStats {
  const { mean, min, max } = summarize(samplesMs);
  return { samplesMs, medianMs: median(samplesMs), minMs: min, maxMs: max, meanMs: mean, warmupMs };
}

/**
 * Times `run` `warmup + runs` times, one after another. `run` must end by awaiting a read of
 * its result (e.g. `await logits.data()`): GPU backends queue work and return at once, so only
 * a read makes the clock cover the computation.
 */
export async function timeRuns(run: () => Promise<void>, opts: TimeRunsOptions = {}): Promise<TimingStats> {
  const warmup = opts.warmup ?? 1;
  const runs = opts.runs ?? 5;
  if (!Number.isInteger(warmup) || warmup < 0) throw new RangeError(`warmup must be an integer >= 0, got ${warmup}`);
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be an integer >= 1, got ${runs}`);
  const now = opts.now ?? (() => performance.now());
  const warmupMs: number[] = [];
  const samplesMs: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const start = now();
    await run();
    const ms = now() - start;
    const isWarmup = i < warmup;
    (isWarmup ? warmupMs : samplesMs).push(ms);
    opts.onRun?.({ index: i, warmup: isWarmup, ms });
  }
  return timingStats(samplesMs, warmupMs);
}
