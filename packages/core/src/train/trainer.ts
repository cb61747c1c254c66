import type { Dataset } from '../data/index.js';
import { makeBatches } from '../data/index.js';
import { MaxPoolBertError } from '../errors.js';
import { isHigherBetter, type MetricName } from '../metrics/index.js';
import { disposeBatch, toBatch, type EncodedInput } from '../model/batch.js';
import type { SequenceClassifier } from '../model/sequence-classifier.js';
import { SeededRng } from '../random/seeded-rng.js';
import type { Tokenizer } from '../tokenizer/index.js';
import type { HostTensor } from '../weights/named-tensor.js';
import { encodeExamples } from './encode-dataset.js';
import { evaluate } from './evaluate.js';
import { labelTensor } from './loss.js';
import { AdamW, GradientAccumulator, linearWarmupDecay, warmupStepsFrom } from './optim/index.js';
import { validateTrainOptions, type TrainOptions } from './options.js';
import { applyGradients, lossAndGradients, trainableParameters } from './step.js';
import type { EvalRecord, TrainerState } from './trainer-state.js';

export interface StepProgress {
  step: number;
  totalSteps: number;
  epoch: number;
  loss: number;
  learningRate: number;
  gradNorm: number;
  elapsedMs: number;
}

export interface OptimizerSnapshot {
  step: number;
  moments: Map<string, HostTensor>;
}

export interface TrainCallbacks {
  /** After every optimizer step. Awaited: a page can yield here so it stays responsive. */
  onStep?(progress: StepProgress): Promise<void> | void;
  /** After each evaluation; `improved` when it is the best so far (save the best model then). */
  onEvaluation?(record: EvalRecord, improved: boolean): Promise<void> | void;
  /** After each evaluation: persist this (atomically) so a killed run can resume from it. */
  onCheckpoint?(state: TrainerState, optimizer: OptimizerSnapshot): Promise<void>;
}

export interface FineTuneArgs {
  model: SequenceClassifier;
  tokenizer: Tokenizer;
  train: Dataset;
  dev?: Dataset;
  metrics: MetricName[];
  mainMetric: MetricName;
  options: TrainOptions;
  callbacks?: TrainCallbacks;
  /** A checkpoint to continue from (its weights must already be in `model`). */
  resume?: { state: TrainerState; optimizer: OptimizerSnapshot };
  /**
   * Stops the run after the step in progress (a Stop button, a signal handler). The model keeps
   * the weights trained so far; the returned state has `finished: false` and no evaluation is run.
   */
  signal?: AbortSignal;
}

/** The shuffle seed of an epoch: every epoch differs, and a resumed run reshuffles identically. */
function epochSeed(seed: number, epoch: number): number {
  return (Math.imul(seed + 1, 0x9e3779b1) + epoch) >>> 0;
}

/**
 * Fine-tunes a classifier: AdamW with decoupled weight decay, linear warm-up then decay,
 * global-norm clipping, gradient accumulation, seeded dropout and shuffling, evaluation every
 * epoch (or N steps), best-metric tracking, early stopping and resumable checkpoints (through
 * callbacks: core does no file I/O).
 */
export async function fineTune(args: FineTuneArgs): Promise<TrainerState> {
  const { model, tokenizer, train, dev, metrics, mainMetric, options: o, callbacks = {}, signal } = args;
  const problems = validateTrainOptions(o);
  if (problems.length) throw new MaxPoolBertError(`invalid training options: ${problems.join('; ')}`);
  if (train.examples.length === 0) throw new MaxPoolBertError(`${train.file}: no training examples`);

  const encoded = encodeExamples(tokenizer, train.examples, o.maxLength, train.file);
  const lengthOf = new Map(train.examples.map((e, i) => [e, encoded[i].inputIds.length]));
  const devEncoded = dev ? encodeExamples(tokenizer, dev.examples, o.maxLength, dev.file) : undefined;
  const batchesPerEpoch = Math.ceil(train.examples.length / o.batchSize);
  const totalSteps = batchesPerEpoch * o.epochs;
  const schedule = linearWarmupDecay({
    peakLr: o.learningRate,
    totalSteps,
    warmupSteps: warmupStepsFrom({ warmupSteps: o.warmupSteps, warmupRatio: o.warmupRatio, totalSteps }),
  });

  const state: TrainerState = args.resume?.state ?? {
    step: 0, totalSteps, epoch: 0, batchInEpoch: 0, rng: new SeededRng(o.seed).getState(),
    best: { metric: mainMetric, value: null, step: 0, epoch: 0 }, evalsWithoutImprovement: 0,
    history: [], losses: [], elapsedMs: 0, finished: false, stoppedEarly: false,
  };
  if (state.totalSteps !== totalSteps) {
    throw new MaxPoolBertError(`the checkpoint was made for ${state.totalSteps} steps but these settings give ${totalSteps}: resume with the same data and options`);
  }
  const rng = new SeededRng(0);
  rng.setState(state.rng);
  const optimizer = new AdamW({ weightDecay: o.weightDecay });
  if (args.resume) optimizer.loadState(args.resume.optimizer);

  const params = trainableParameters(model);
  const microSize = o.batchSize / o.gradientAccumulation;
  const higher = isHigherBetter(mainMetric);
  let runStarted = performance.now() - state.elapsedMs;
  let lossSinceEval = { sum: 0, steps: 0 };

  const evaluateAndCheckpoint = async () => {
    state.elapsedMs = performance.now() - runStarted;
    if (dev && devEncoded) {
      const result = await evaluate(model, tokenizer, dev, metrics, { batchSize: o.evalBatchSize, maxLength: o.maxLength, encoded: devEncoded });
      const value = result.metrics[mainMetric] ?? NaN;
      const record: EvalRecord = {
        step: state.step, epoch: state.step / batchesPerEpoch, metrics: result.metrics, loss: result.loss,
        trainLoss: lossSinceEval.steps ? lossSinceEval.sum / lossSinceEval.steps : NaN, elapsedMs: state.elapsedMs,
        predictionSpread: result.predictionSpread,
      };
      const improved = state.best.value === null || (higher ? value > state.best.value : value < state.best.value);
      state.history.push(record);
      if (improved) {
        state.best = { metric: mainMetric, value, step: state.step, epoch: record.epoch };
        state.evalsWithoutImprovement = 0;
      } else {
        state.evalsWithoutImprovement++;
      }
      await callbacks.onEvaluation?.(record, improved);
      if (o.earlyStoppingPatience !== undefined && state.evalsWithoutImprovement >= o.earlyStoppingPatience) {
        state.stoppedEarly = true;
        state.finished = true;
      }
    }
    lossSinceEval = { sum: 0, steps: 0 };
    state.rng = rng.getState();
    if (callbacks.onCheckpoint) await callbacks.onCheckpoint(state, await optimizer.exportState());
    // Timing excludes the checkpoint writing only when it is reported; keep the clock honest.
    runStarted = performance.now() - state.elapsedMs;
  };

  /** Loss and gradients of one micro-batch; the caller disposes the gradients. */
  const microStep = (indices: number[]) => {
    const batch = toBatch(indices.map((i) => encoded[i] as EncodedInput), tokenizer.padId);
    const labels = labelTensor(indices.map((i) => train.examples[i].label), model.labels.problemType);
    try {
      return lossAndGradients(model, params, batch, labels, rng);
    } finally {
      disposeBatch(batch);
      labels.dispose();
    }
  };

  try {
    while (!state.finished && state.epoch < o.epochs && !signal?.aborted) {
      const batches = makeBatches(train.examples, o.batchSize, {
        shuffleSeed: epochSeed(o.seed, state.epoch),
        lengthBucketing: o.lengthBucketing,
        lengthOf: (e) => lengthOf.get(e) ?? 0,
      });
      for (let b = state.batchInEpoch; b < batches.length && !state.finished && !signal?.aborted; b++) {
        const accumulator = new GradientAccumulator();
        let lossSum = 0;
        for (let start = 0; start < batches[b].length; start += microSize) {
          const micro = batches[b].slice(start, start + microSize);
          const { value, grads } = microStep(micro);
          lossSum += (await value.data())[0] * micro.length;
          value.dispose();
          accumulator.add(grads, micro.length);
        }
        const loss = lossSum / batches[b].length;
        if (!Number.isFinite(loss)) {
          accumulator.reset();
          throw new MaxPoolBertError(
            `the training loss became ${loss} at step ${state.step + 1} (epoch ${state.epoch + 1}): the run diverged; ` +
              `try a lower learning rate (now ${o.learningRate}, e.g. --lr ${o.learningRate / 2})`,
          );
        }
        const averaged = accumulator.average();
        accumulator.reset();
        const learningRate = schedule(state.step);
        const norm = await applyGradients(optimizer, averaged, params.variables, learningRate, o.maxGradNorm);

        state.step++;
        state.batchInEpoch = b + 1;
        state.losses.push(loss);
        lossSinceEval.sum += loss;
        lossSinceEval.steps++;
        await callbacks.onStep?.({
          step: state.step, totalSteps, epoch: state.epoch, loss, learningRate, gradNorm: norm, elapsedMs: performance.now() - runStarted,
        });
        if (o.evalEvery && state.step % o.evalEvery === 0 && state.step < totalSteps) await evaluateAndCheckpoint();
      }
      if (state.finished || signal?.aborted) break;
      state.epoch++;
      state.batchInEpoch = 0;
      if (state.epoch === o.epochs) state.finished = true;
      if (!o.evalEvery || state.finished) await evaluateAndCheckpoint();
    }
    if (!state.finished && !signal?.aborted) {
      state.finished = true;
      await evaluateAndCheckpoint();
    }
  } finally {
    optimizer.dispose();
  }
  return state;
}
