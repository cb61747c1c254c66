import {
  classifierFolderFiles, DEFAULT_TRAIN_OPTIONS, fineTune, loadClassifier,
  type Dataset, type HeadSpec, type LoadedClassifier, type ModelSource, type StepProgress, type TrainOptions,
} from '@maxpoolbert/core';
import { memoryFolder } from './fresh-model.js';

export interface TrainSettings {
  head: HeadSpec;
  epochs: number;
  learningRate: number;
  batchSize: number;
  maxLength: number;
  seed: number;
}

export interface TrainResult {
  loaded: LoadedClassifier;
  /** The trained model's folder in memory (to fine-tune further, or download). */
  source: ModelSource;
  /** Training loss of every step taken. */
  losses: number[];
  totalSteps: number;
  /** Stopped by the user before the last step; the weights are those of the last step taken. */
  stopped: boolean;
}

/** The trainer's options: the CLI's defaults, with what the page lets the user set. */
export function trainOptions(s: TrainSettings): TrainOptions {
  return {
    ...DEFAULT_TRAIN_OPTIONS,
    epochs: s.epochs,
    learningRate: s.learningRate,
    batchSize: s.batchSize,
    maxLength: s.maxLength,
    seed: s.seed,
    evalBatchSize: 32,
  };
}

/**
 * Fine-tunes a classifier on `data`, starting from `base` (a pre-trained or fine-tuned folder,
 * or a fresh tiny BERT) with the given head, and evaluates on the training rows after every
 * epoch (there is no dev split in the page). Aborting `signal` stops after the step in progress.
 */
export async function trainClassifier(args: {
  base: ModelSource;
  data: Dataset;
  settings: TrainSettings;
  onStep(p: StepProgress): void;
  onEpoch?(epoch: number, accuracy: number): void;
  signal: AbortSignal;
}): Promise<TrainResult> {
  const { base, data, settings } = args;
  const loaded = await loadClassifier(base, { head: settings.head, labels: data.labels, seed: settings.seed, trainable: true });
  const regression = data.labels.problemType === 'regression';
  const losses: number[] = [];
  let totalSteps = 0;
  let state;
  try {
    state = await fineTune({
      model: loaded.model,
      tokenizer: loaded.tokenizer,
      train: data,
      dev: data,
      metrics: regression ? ['pearson', 'mse'] : ['accuracy'],
      mainMetric: regression ? 'pearson' : 'accuracy',
      options: trainOptions(settings),
      signal: args.signal,
      callbacks: {
        onStep: async (p) => {
          losses.push(p.loss);
          totalSteps = p.totalSteps;
          args.onStep(p);
          // On the CPU and WASM backends a step's reads resolve at once; waiting for a macrotask
          // here lets the page repaint (live chart) and see a click on Stop.
          await new Promise((resolve) => setTimeout(resolve, 0));
        },
        onEvaluation: (record) => {
          const value = (record.metrics as Record<string, number>)[regression ? 'pearson' : 'accuracy'];
          args.onEpoch?.(Math.round(record.epoch), value);
        },
      },
    });
  } catch (err) {
    loaded.model.dispose();
    throw err;
  }
  const stopped = !state.finished;
  let files: Map<string, Uint8Array[]>;
  try {
    files = await classifierFolderFiles(loaded.model, loaded.config, loaded.tokenizerFiles);
  } catch (err) {
    loaded.model.dispose();
    throw err;
  }
  const source = memoryFolder(files, 'fine-tuned in this page');
  return { loaded, source, losses, totalSteps, stopped };
}
