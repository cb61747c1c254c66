import * as tf from '@tensorflow/tfjs-core';
import { MaxPoolBertError } from '../errors.js';
import { disposeBatch, toBatch } from '../model/batch.js';
import { trainedMaxLength } from '../model/classifier-folder.js';
import { maxInputTokens } from '../families/index.js';
import type { SequenceClassifier } from '../model/sequence-classifier.js';
import type { Tokenizer } from '../tokenizer/index.js';

/** A text (or text pair) to classify, with an optional per-input token limit. */
export interface ClassifyInput {
  text: string;
  textPair?: string;
  /** Truncate this input to at most this many tokens (capped by `ClassifyOptions.maxLength`). */
  maxLength?: number;
}

/** A classification model's answer; keys in the order the CLI's `predict` writes them. */
export interface ClassPrediction {
  logits: number[];
  /** Softmax of the logits, in label-id order. */
  probabilities: number[];
  /** The most probable label's name (`id2label`); the first one on a tie. */
  label: string;
}

/** A regression model's answer: the single output is the score. */
export interface ScorePrediction {
  logits: [number];
  score: number;
}

export type Prediction = ClassPrediction | ScorePrediction;

/** What `loadClassifier` returns is enough; so is any model with its tokenizer. */
export interface ClassifierWithTokenizer {
  model: SequenceClassifier;
  tokenizer: Tokenizer;
}

export interface ClassifyOptions {
  /** Truncate every input to this many tokens. Default: the length the model was fine-tuned with, else its `max_position_embeddings`. */
  maxLength?: number;
  /** Inputs per forward pass. Default 32. */
  batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 32;

function checkOptions(model: SequenceClassifier, opts: ClassifyOptions): { maxLength: number; batchSize: number } {
  const config = model.encoder.config;
  const maxLength = opts.maxLength ?? trainedMaxLength(config) ?? maxInputTokens(config);
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!(Number.isInteger(maxLength) && maxLength >= 2)) throw new MaxPoolBertError(`classify: maxLength must be an integer >= 2 ([CLS] and [SEP]), got ${maxLength}`);
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new MaxPoolBertError(`classify: batchSize must be an integer >= 1, got ${batchSize}`);
  return { maxLength, batchSize };
}

function toInput(item: string | ClassifyInput, index: number): ClassifyInput {
  const input = typeof item === 'string' ? { text: item } : item;
  // Plain-JS callers get one clear line instead of a tokenizer stack trace.
  if (typeof input?.text !== 'string') throw new MaxPoolBertError(`classify: input ${index} has no text (pass a string or { text, textPair? })`);
  return input;
}

/** One forward pass: tokenize → pad into a batch → logits → softmax, in input order. */
async function predictBatch(classifier: ClassifierWithTokenizer, inputs: readonly ClassifyInput[], maxLength: number): Promise<Prediction[]> {
  const { model, tokenizer } = classifier;
  const batch = toBatch(inputs.map((r) => tokenizer.encode(r.text, r.textPair, { maxLength: Math.min(r.maxLength ?? maxLength, maxLength) })), tokenizer.padId);
  const logits = model.logits(batch, { training: false });
  try {
    const values = (await logits.array()) as number[][];
    if (model.labels.problemType === 'regression') return values.map((l) => ({ logits: l as [number], score: l[0] }));
    const probs = tf.tidy(() => tf.softmax(logits));
    const probabilities = (await probs.array()) as number[][];
    probs.dispose();
    return values.map((l, i) => {
      const p = probabilities[i];
      return { logits: l, probabilities: p, label: model.labels.names[p.indexOf(Math.max(...p))] };
    });
  } finally {
    logits.dispose();
    disposeBatch(batch);
  }
}

/**
 * Runs a fine-tuned model on texts: classification models give logits, probabilities and the
 * label, regression models the score. Inputs are batched `batchSize` at a time; every tensor is
 * freed before it returns. Works with `loadClassifier`'s result or a model `fineTune` trained.
 */
export async function predict(classifier: ClassifierWithTokenizer, inputs: readonly (string | ClassifyInput)[], opts: ClassifyOptions = {}): Promise<Prediction[]> {
  const { maxLength, batchSize } = checkOptions(classifier.model, opts);
  const rows = inputs.map(toInput);
  const out: Prediction[] = [];
  for (let start = 0; start < rows.length; start += batchSize) {
    out.push(...(await predictBatch(classifier, rows.slice(start, start + batchSize), maxLength)));
  }
  return out;
}

/**
 * `predict` for classification models, typed so `.label` needs no narrowing: one input gives one
 * prediction, an array gives one per input, in order. A regression model is refused (use `predict`).
 */
export async function classify(classifier: ClassifierWithTokenizer, input: string | ClassifyInput, opts?: ClassifyOptions): Promise<ClassPrediction>;
export async function classify(classifier: ClassifierWithTokenizer, inputs: readonly (string | ClassifyInput)[], opts?: ClassifyOptions): Promise<ClassPrediction[]>;
export async function classify(
  classifier: ClassifierWithTokenizer,
  inputs: string | ClassifyInput | readonly (string | ClassifyInput)[],
  opts: ClassifyOptions = {},
): Promise<ClassPrediction | ClassPrediction[]> {
  if (classifier.model.labels.problemType === 'regression') {
    throw new MaxPoolBertError('classify: this is a regression model (problem_type "regression"): use predict(), which returns { logits, score }');
  }
  if (Array.isArray(inputs)) return (await predict(classifier, inputs, opts)) as ClassPrediction[];
  const [one] = await predict(classifier, [inputs as string | ClassifyInput], opts);
  return one as ClassPrediction;
}
