import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../data/index.js';
import { computeMetrics, type MetricName } from '../metrics/index.js';
import { disposeBatch, toBatch, type EncodedInput } from '../model/batch.js';
import type { SequenceClassifier } from '../model/sequence-classifier.js';
import type { Tokenizer } from '../tokenizer/index.js';
import { encodeExamples } from './encode-dataset.js';
import { batchLoss, labelTensor } from './loss.js';

export interface EvalResult {
  metrics: Partial<Record<MetricName, number>>;
  /** Mean loss over the examples. */
  loss: number;
  /** Predicted class id (or regression value) per example, in dataset order. */
  predictions: number[];
  /** How varied those predictions are (a run stuck at one class shows here, not in its loss). */
  predictionSpread: PredictionSpread;
}

/**
 * How varied a model's predictions are. On small data a fine-tuning run often collapses to the
 * majority class: every example gets the same class, accuracy equals the majority share, and
 * such runs are most of the spread over seeds. `distinct === 1` is that collapse (for a
 * regression: one constant value, where Pearson has no meaning).
 */
export interface PredictionSpread {
  /** Distinct predicted classes (regression: distinct predicted values). */
  distinct: number;
  /** Share of the examples given the most frequent prediction: 1 when every example gets the same one. */
  majorityShare: number;
}

export function predictionSpread(predictions: readonly number[]): PredictionSpread {
  const counts = new Map<number, number>();
  for (const p of predictions) counts.set(p, (counts.get(p) ?? 0) + 1);
  let most = 0;
  for (const c of counts.values()) most = Math.max(most, c);
  return { distinct: counts.size, majorityShare: predictions.length ? most / predictions.length : NaN };
}

/**
 * Scores a model on a labelled dataset. Examples are run in order of length, so batches carry
 * little padding; predictions come back in dataset order.
 */
export async function evaluate(
  model: SequenceClassifier,
  tokenizer: Tokenizer,
  dataset: Dataset,
  metrics: MetricName[],
  opts: { batchSize: number; maxLength: number; encoded?: EncodedInput[] },
): Promise<EvalResult> {
  const encoded = opts.encoded ?? encodeExamples(tokenizer, dataset.examples, opts.maxLength, dataset.file);
  const order = encoded.map((_, i) => i).sort((a, b) => encoded[a].inputIds.length - encoded[b].inputIds.length);
  const regression = model.labels.problemType === 'regression';
  const predictions = new Array<number>(encoded.length);
  let lossSum = 0;
  for (let start = 0; start < order.length; start += opts.batchSize) {
    const idx = order.slice(start, start + opts.batchSize);
    const batch = toBatch(idx.map((i) => encoded[i]), tokenizer.padId);
    const labels = labelTensor(idx.map((i) => dataset.examples[i].label), model.labels.problemType);
    const [values, loss] = tf.tidy(() => {
      const logits = model.logits(batch, { training: false });
      const predicted = regression ? tf.reshape(logits, [-1]) : tf.argMax(logits, 1);
      return [predicted, batchLoss(logits, labels, model.labels.problemType)];
    });
    const predicted = await values.data();
    lossSum += (await loss.data())[0] * idx.length;
    idx.forEach((exampleIndex, k) => (predictions[exampleIndex] = predicted[k]));
    tf.dispose([values, loss, labels]);
    disposeBatch(batch);
  }
  return {
    metrics: computeMetrics(metrics, predictions, dataset.examples.map((e) => e.label)),
    loss: encoded.length ? lossSum / encoded.length : NaN,
    predictions,
    predictionSpread: predictionSpread(predictions),
  };
}
