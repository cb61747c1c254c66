import * as tf from '@tensorflow/tfjs-core';
import { disposeBatch } from '../model/batch.js';
import type { SequenceClassifier } from '../model/sequence-classifier.js';
import type { Batch } from '../model/types.js';
import type { BertPreset } from '../config/presets.js';
import { benchBatch, benchConfig, benchModel, type BenchModelSpec } from './bench-model.js';
import { classifierFlops, type FlopCount } from './flops.js';
import { profileKernels, type KernelProfile } from './kernel-profile.js';
import { timeRuns, type TimingStats } from './timing.js';

export type BenchMode = 'inference' | 'train';

export interface StepBenchOptions extends BenchModelSpec {
  /** Untimed runs first; at least 1 (the first step pays one-time costs). Default 1. */
  warmup?: number;
  /** Timed runs; default 5. */
  runs?: number;
  /** Also profile one extra (untimed) step per kernel type. */
  profile?: boolean;
  onRun?: (info: { index: number; warmup: boolean; ms: number }) => void;
}

/** `tf.memory()` at one moment (the fields every backend reports). */
export interface MemorySnapshot {
  numTensors: number;
  numDataBuffers: number;
  numBytes: number;
}

export interface StepBenchResult {
  mode: BenchMode;
  /** The preset name, or "custom" for a config passed in. */
  preset: BertPreset | 'custom';
  head: string;
  batch: number;
  seq: number;
  parameters: { total: number; head: number };
  timing: TimingStats;
  /** Sequences (inference) or training examples per second, at the median step time. */
  itemsPerSecond: number;
  flops: FlopCount;
  /** FLOPs of one timed step: the forward (inference) or 3 × forward (train). */
  flopsPerStep: number;
  /** Achieved rate: flopsPerStep / median step time, and / fastest step time. */
  gflops: { median: number; best: number };
  memory: {
    /** After the model was built (its parameters). */
    afterBuild: MemorySnapshot;
    /** After the warm-up (training: optimizer moments included). */
    afterWarmup: MemorySnapshot;
    /** Peak tfjs tensor bytes during the last warm-up step (`tf.profile`). */
    peakStepBytes: number;
  };
  /** (tensors after the timed runs − before) / runs: must be 0. */
  leakedTensorsPerStep: number;
  profile?: KernelProfile;
}

export function memorySnapshot(): MemorySnapshot {
  const m = tf.memory();
  return { numTensors: m.numTensors, numDataBuffers: m.numDataBuffers, numBytes: m.numBytes };
}

/** What a step benchmark provides: the model, and one step that ends by awaiting a read. */
export interface StepSetup {
  step: () => Promise<void>;
  dispose: () => void;
}

/**
 * The harness both benchmarks share: builds the model, warms up (the last warm-up run under
 * `tf.profile` for the peak tensor bytes), times `runs` steps counting tensors around them,
 * optionally profiles one more step, and disposes everything.
 */
export async function runStepBench(
  mode: BenchMode, o: StepBenchOptions, setup: (model: SequenceClassifier, batch: Batch, labels: tf.Tensor1D) => StepSetup,
): Promise<StepBenchResult> {
  const warmup = o.warmup ?? 1;
  if (!Number.isInteger(warmup) || warmup < 1) throw new RangeError(`warmup must be an integer >= 1, got ${warmup}`);
  const runs = o.runs ?? 5;
  const config = benchConfig(o);
  const { batch, labels } = benchBatch(config, o.batch, o.seq, o.numLabels, o.seed);
  let model: SequenceClassifier | undefined;
  let stepper: StepSetup | undefined;
  try {
    model = benchModel(o, mode === 'train');
    stepper = setup(model, batch, labels);
    const { step } = stepper;
    const afterBuild = memorySnapshot();
    const warmupMs: number[] = [];
    let peakStepBytes = 0;
    for (let i = 0; i < warmup; i++) {
      const start = performance.now();
      if (i === warmup - 1) peakStepBytes = (await profileKernels(step)).peakBytes;
      else await step();
      const ms = performance.now() - start;
      warmupMs.push(ms);
      o.onRun?.({ index: i, warmup: true, ms });
    }
    const afterWarmup = memorySnapshot();
    const timing = await timeRuns(step, { warmup: 0, runs, onRun: (r) => o.onRun?.({ ...r, index: r.index + warmup }) });
    timing.warmupMs = warmupMs;
    const leaked = (memorySnapshot().numTensors - afterWarmup.numTensors) / runs;
    const profile = o.profile ? await profileKernels(step) : undefined;

    const flops = classifierFlops(config, o.batch, o.seq, { head: model.head.spec.type, usePooler: model.head.spec.usePooler, numLabels: o.numLabels });
    const flopsPerStep = mode === 'train' ? flops.trainStep : flops.forward;
    let total = 0;
    for (const v of model.variables().values()) total += v.size;
    return {
      mode,
      preset: typeof o.preset === 'string' ? o.preset : 'custom',
      head: model.head.spec.type,
      batch: o.batch,
      seq: o.seq,
      parameters: { total, head: model.headParameterCount() },
      timing,
      itemsPerSecond: o.batch / (timing.medianMs / 1000),
      flops,
      flopsPerStep,
      gflops: { median: flopsPerStep / timing.medianMs / 1e6, best: flopsPerStep / timing.minMs / 1e6 },
      memory: { afterBuild, afterWarmup, peakStepBytes },
      leakedTensorsPerStep: leaked,
      ...(profile ? { profile } : {}),
    };
  } finally {
    stepper?.dispose();
    disposeBatch(batch);
    labels.dispose();
    model?.dispose();
  }
}

/** One element of a tensor (a read that waits for the queue on GPU backends without a big download). */
export async function readOne(t: tf.Tensor): Promise<void> {
  const one = tf.tidy(() => tf.slice(tf.reshape(t, [-1]), [0], [1]));
  try {
    await one.data();
  } finally {
    one.dispose();
  }
}
