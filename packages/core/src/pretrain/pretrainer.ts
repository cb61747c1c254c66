import * as tf from '@tensorflow/tfjs-core';
import { shuffleInPlace } from '../data/subset.js';
import { MaxPoolBertError } from '../errors.js';
import { maskedLmLoss, type MaskedLanguageModel } from '../model/masked-lm.js';
import type { Batch, VariableMap } from '../model/types.js';
import { SeededRng } from '../random/seeded-rng.js';
import { AdamW, GradientAccumulator, linearWarmupDecay, warmupStepsFrom } from '../train/optim/index.js';
import { applyGradients } from '../train/step.js';
import type { OptimizerSnapshot } from '../train/trainer.js';
import { continuationTest, maskBatch, type MaskedBatch, type MaskingOptions } from './masking.js';
import type { MlmExample } from './mlm-examples.js';
import type { MlmTokenizer } from './mlm-tokenizer.js';
import { validatePretrainOptions, type PretrainOptions } from './pretrain-options.js';
import type { MlmEvalRecord, PretrainState } from './pretrain-state.js';

export interface PretrainStepProgress {
  step: number;
  totalSteps: number;
  epoch: number;
  /** Mean loss over the step's masked tokens (NaN when the step masked none). */
  loss: number;
  learningRate: number;
  gradNorm: number;
  /** Real tokens in this step's batch and in the run so far (tokens/s). */
  tokens: number;
  tokensSeen: number;
  maskedTokens: number;
  elapsedMs: number;
}

export interface PretrainCallbacks {
  /** After every optimizer step; awaited (a page can yield here). */
  onStep?(progress: PretrainStepProgress): Promise<void> | void;
  /** After each evaluation on the validation text. */
  onEvaluation?(record: MlmEvalRecord): Promise<void> | void;
  /** After each evaluation point: persist this (atomically) so a killed run can resume from it. */
  onCheckpoint?(state: PretrainState, optimizer: OptimizerSnapshot): Promise<void>;
}

export interface PretrainArgs {
  model: MaskedLanguageModel;
  tokenizer: MlmTokenizer;
  /** Examples from `prepareMlmData` (or `groupTexts` / `lineByLine`). */
  train: readonly MlmExample[];
  validation?: readonly MlmExample[];
  options: PretrainOptions;
  callbacks?: PretrainCallbacks;
  /** A checkpoint to continue from (its weights must already be in `model`). */
  resume?: { state: PretrainState; optimizer: OptimizerSnapshot };
  /** Stops after the step in progress; the returned state has `finished: false`. */
  signal?: AbortSignal;
}

/** A 32-bit mix of integers (murmur3's finaliser over a running combination). */
function mix(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const v of values) {
    h = Math.imul(h ^ (v >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** Seed streams, so that shuffling, masking and validation masking never share draws. */
const SHUFFLE_STREAM = 1;
const MASK_STREAM = 2;
/**
 * The validation set's masks are drawn once from this fixed seed, independent of the run's
 * seed: every evaluation of a run, and runs with different seeds on the same validation text,
 * score exactly the same masked tokens.
 */
export const VALIDATION_MASK_SEED = 0x6d6c6d; // "mlm"

export function maskingOptionsFor(tokenizer: MlmTokenizer, o: Pick<PretrainOptions, 'mlmProbability' | 'wholeWordMask'>): MaskingOptions {
  if (tokenizer.maskId === undefined) {
    throw new MaxPoolBertError('the tokenizer has no [MASK] token, which masked-LM pre-training needs (set mask_token in tokenizer_config.json)');
  }
  if (o.wholeWordMask && tokenizer.kind !== undefined && tokenizer.kind !== 'wordpiece') {
    // As HF's DataCollatorForWholeWordMask, which reads words off BERT's `##` continuations only.
    throw new MaxPoolBertError(`whole-word masking needs a WordPiece tokenizer (words continue with ##); this model's is ${tokenizer.kind}: leave out --whole-word-mask`);
  }
  return {
    mlmProbability: o.mlmProbability,
    wholeWordMask: o.wholeWordMask,
    maskId: tokenizer.maskId,
    padId: tokenizer.padId,
    vocabSize: tokenizer.vocabSize,
    isContinuation: o.wholeWordMask ? continuationTest((ids) => tokenizer.convertIdsToTokens(ids), tokenizer.vocabSize) : undefined,
  };
}

/**
 * The masks of one optimizer batch (its examples in order), drawn from a seed made of the run
 * seed, the epoch and the batch: each epoch masks anew (dynamic masking), a resumed run draws
 * the same masks, and splitting the batch into micro-batches draws the same masks too (the
 * draws go row by row, so masking the micro-batches one after another with one rng is masking
 * the whole batch).
 */
export function batchMaskRng(seed: number, epoch: number, batch: number): SeededRng {
  return new SeededRng(mix(seed, MASK_STREAM, epoch, batch));
}

/** The order of the training examples in an epoch (a resumed run reshuffles identically). */
export function epochOrder(count: number, seed: number, epoch: number): number[] {
  return shuffleInPlace(Array.from({ length: count }, (_, i) => i), new SeededRng(mix(seed, SHUFFLE_STREAM, epoch)));
}

/** The validation set masked once, in batches of `batchSize` (see VALIDATION_MASK_SEED). */
export function maskValidation(examples: readonly MlmExample[], masking: MaskingOptions, batchSize: number): MaskedBatch[] {
  const rng = new SeededRng(VALIDATION_MASK_SEED);
  const out: MaskedBatch[] = [];
  for (let i = 0; i < examples.length; i += batchSize) out.push(maskBatch(examples.slice(i, i + batchSize), masking, rng));
  return out;
}

function toTensors(m: MaskedBatch): { batch: Batch; positions: tf.Tensor1D; labels: tf.Tensor1D } {
  const shape: [number, number] = [m.rows, m.length];
  return {
    batch: {
      inputIds: tf.tensor2d(m.inputIds, shape, 'int32'),
      tokenTypeIds: tf.zeros(shape, 'int32') as tf.Tensor2D,
      attentionMask: tf.tensor2d(m.attentionMask, shape, 'int32'),
    },
    positions: tf.tensor1d(m.positions, 'int32'),
    labels: tf.tensor1d(m.labels, 'int32'),
  };
}

function disposeTensors(t: ReturnType<typeof toTensors>): void {
  tf.dispose([t.batch.inputIds, t.batch.tokenTypeIds, t.batch.attentionMask, t.positions, t.labels]);
}

/**
 * Mean cross-entropy over every masked token of the (pre-masked) batches, without dropout, and
 * its exp, the perplexity (as `run_mlm.py` reports it, but token-weighted, so batches with more
 * masked tokens count for more).
 */
export async function evaluateMaskedLm(model: MaskedLanguageModel, batches: readonly MaskedBatch[]): Promise<{ loss: number; perplexity: number; maskedTokens: number }> {
  let sum = 0;
  let count = 0;
  for (const m of batches) {
    if (m.positions.length === 0) continue;
    const t = toTensors(m);
    try {
      const loss = maskedLmLoss(model, t.batch, t.positions, t.labels, { training: false });
      sum += (await loss.data())[0] * m.positions.length;
      loss.dispose();
      count += m.positions.length;
    } finally {
      disposeTensors(t);
    }
  }
  const loss = count ? sum / count : NaN;
  return { loss, perplexity: Math.exp(loss), maskedTokens: count };
}

function trainableOf(variables: VariableMap): { trainable: tf.Variable[]; nameOf: Map<string, string> } {
  return {
    trainable: [...variables.values()].filter((v) => v.trainable),
    nameOf: new Map([...variables].map(([name, v]) => [v.name, name])),
  };
}

/**
 * Masked-LM (continued) pre-training, Hugging Face `run_mlm.py` + `Trainer` semantics: AdamW
 * with decoupled weight decay, linear warm-up then decay, global-norm clipping, gradient
 * accumulation, seeded dropout and shuffling, fresh masks every epoch, evaluation (loss and
 * perplexity on a fixed masking of the validation set) every epoch or N steps, resumable
 * checkpoints through callbacks (core does no file I/O). The loss of a step is the mean over all
 * its masked tokens (micro-batches weighted by their masked-token counts, as HF's Trainer does
 * with `num_items_in_batch`).
 */
export async function pretrain(args: PretrainArgs): Promise<PretrainState> {
  const { model, tokenizer, train, validation = [], options: o, callbacks = {}, signal } = args;
  const problems = validatePretrainOptions(o);
  if (problems.length) throw new MaxPoolBertError(`invalid pre-training options: ${problems.join('; ')}`);
  if (train.length === 0) throw new MaxPoolBertError('no training examples');
  const masking = maskingOptionsFor(tokenizer, o);
  const validationBatches = maskValidation(validation, masking, o.evalBatchSize);

  const batchesPerEpoch = Math.ceil(train.length / o.batchSize);
  const totalSteps = batchesPerEpoch * o.epochs;
  const schedule = linearWarmupDecay({
    peakLr: o.learningRate, totalSteps,
    warmupSteps: warmupStepsFrom({ warmupSteps: o.warmupSteps, warmupRatio: o.warmupRatio, totalSteps }),
  });
  const state: PretrainState = args.resume?.state ?? {
    step: 0, totalSteps, epoch: 0, batchInEpoch: 0, rng: new SeededRng(o.seed).getState(),
    history: [], losses: [], optimizerSteps: 0, tokensSeen: 0, elapsedMs: 0, finished: false,
  };
  if (state.totalSteps !== totalSteps) {
    throw new MaxPoolBertError(`the checkpoint was made for ${state.totalSteps} steps but these settings give ${totalSteps}: resume with the same text and options`);
  }
  const rng = new SeededRng(0);
  rng.setState(state.rng);
  const optimizer = new AdamW({ weightDecay: o.weightDecay });
  if (args.resume) optimizer.loadState(args.resume.optimizer);

  const variables = model.variables();
  const { trainable, nameOf } = trainableOf(variables);
  const microSize = o.batchSize / o.gradientAccumulation;
  let runStarted = performance.now() - state.elapsedMs;
  let sinceEval = { sum: 0, tokens: 0 };

  const evaluateAndCheckpoint = async () => {
    state.elapsedMs = performance.now() - runStarted;
    if (validationBatches.length) {
      const result = await evaluateMaskedLm(model, validationBatches);
      const record: MlmEvalRecord = {
        step: state.step, epoch: state.step / batchesPerEpoch, ...result,
        trainLoss: sinceEval.tokens ? sinceEval.sum / sinceEval.tokens : NaN, elapsedMs: state.elapsedMs,
      };
      state.history.push(record);
      await callbacks.onEvaluation?.(record);
    }
    sinceEval = { sum: 0, tokens: 0 };
    state.rng = rng.getState();
    if (callbacks.onCheckpoint) await callbacks.onCheckpoint(state, await optimizer.exportState());
    runStarted = performance.now() - state.elapsedMs; // checkpoint writing is not training time
  };

  /** Loss and gradients of one masked micro-batch; the caller disposes both. */
  const microStep = (m: MaskedBatch) => {
    const t = toTensors(m);
    try {
      const { value, grads } = tf.variableGrads(() => maskedLmLoss(model, t.batch, t.positions, t.labels, { training: true, rng }), trainable);
      const named = new Map<string, tf.Tensor>();
      for (const [id, g] of Object.entries(grads)) named.set(nameOf.get(id)!, g);
      return { value, grads: named };
    } finally {
      disposeTensors(t);
    }
  };

  try {
    while (!state.finished && state.epoch < o.epochs && !signal?.aborted) {
      const order = epochOrder(train.length, o.seed, state.epoch);
      for (let b = state.batchInEpoch; b < batchesPerEpoch && !signal?.aborted; b++) {
        const rows = order.slice(b * o.batchSize, (b + 1) * o.batchSize);
        const maskRng = batchMaskRng(o.seed, state.epoch, b);
        const accumulator = new GradientAccumulator();
        let lossSum = 0;
        let masked = 0;
        let tokens = 0;
        try {
          for (let start = 0; start < rows.length; start += microSize) {
            const m = maskBatch(rows.slice(start, start + microSize).map((i) => train[i]!), masking, maskRng);
            tokens += m.tokens;
            if (m.positions.length === 0) continue; // nothing to predict: no loss, no gradient
            const { value, grads } = microStep(m);
            lossSum += (await value.data())[0] * m.positions.length;
            value.dispose();
            accumulator.add(grads, m.positions.length);
            masked += m.positions.length;
          }
          const loss = masked ? lossSum / masked : NaN;
          if (masked && !Number.isFinite(loss)) {
            throw new MaxPoolBertError(
              `the training loss became ${loss} at step ${state.step + 1} (epoch ${state.epoch + 1}): the run diverged; ` +
                `try a lower learning rate (now ${o.learningRate}, e.g. --lr ${o.learningRate / 2})`,
            );
          }
          const learningRate = schedule(state.step);
          // A batch without a masked token (tiny lines) moves nothing: HF would take a NaN step.
          const norm = masked ? await applyGradients(optimizer, accumulator.average(), variables, learningRate, o.maxGradNorm) : NaN;
          state.step++;
          if (masked) state.optimizerSteps++;
          state.batchInEpoch = b + 1;
          state.tokensSeen += tokens;
          state.losses.push(masked ? loss : null);
          if (masked) {
            sinceEval.sum += lossSum;
            sinceEval.tokens += masked;
          }
          await callbacks.onStep?.({
            step: state.step, totalSteps, epoch: state.epoch, loss, learningRate, gradNorm: norm, tokens,
            tokensSeen: state.tokensSeen, maskedTokens: masked, elapsedMs: performance.now() - runStarted,
          });
        } finally {
          accumulator.dispose();
        }
        if (o.evalEvery && state.step % o.evalEvery === 0 && state.step < totalSteps) await evaluateAndCheckpoint();
      }
      if (signal?.aborted) break;
      state.epoch++;
      state.batchInEpoch = 0;
      if (state.epoch === o.epochs) state.finished = true;
      if (!o.evalEvery || state.finished) await evaluateAndCheckpoint();
    }
  } finally {
    optimizer.dispose();
  }
  return state;
}
