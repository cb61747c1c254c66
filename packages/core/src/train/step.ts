import * as tf from '@tensorflow/tfjs-core';
import type { Batch, VariableMap } from '../model/types.js';
import type { SequenceClassifier } from '../model/sequence-classifier.js';
import type { SeededRng } from '../random/seeded-rng.js';
import { batchLoss } from './loss.js';
import { clipByGlobalNorm, clipCoefficient, hasFusedAdamW, type AdamW } from './optim/index.js';

/** A model's parameters as one training step needs them. */
export interface TrainableParameters {
  /** Every parameter under its checkpoint name (what the optimizer updates). */
  variables: VariableMap;
  /** The trainable ones, in `variables` order (what gradients are taken for). */
  trainable: tf.Variable[];
  /** tfjs variable name → checkpoint name. */
  nameOf: Map<string, string>;
}

export function trainableParameters(model: SequenceClassifier): TrainableParameters {
  const variables = model.variables();
  return {
    variables,
    trainable: [...variables.values()].filter((v) => v.trainable),
    nameOf: new Map([...variables].map(([name, v]) => [v.name, name])),
  };
}

/**
 * Forward pass in training mode (dropout on), the batch's mean loss, and its gradients under
 * checkpoint names. The caller disposes `value` and the gradients.
 */
export function lossAndGradients(
  model: SequenceClassifier, params: TrainableParameters, batch: Batch, labels: tf.Tensor1D, rng: SeededRng,
): { value: tf.Scalar; grads: Map<string, tf.Tensor> } {
  const { value, grads } = tf.variableGrads(
    () => batchLoss(model.logits(batch, { training: true, rng }), labels, model.labels.problemType),
    params.trainable,
  );
  const named = new Map<string, tf.Tensor>();
  for (const [id, g] of Object.entries(grads)) named.set(params.nameOf.get(id)!, g);
  return { value, grads: named };
}

/**
 * Global-norm clipping (when `maxGradNorm` > 0) then one AdamW step at `learningRate`. Takes
 * ownership of `grads` (disposed here). Resolves to the gradient norm before clipping (NaN when
 * clipping is off), read only after the update is queued, so the backend never idles for it.
 */
export async function applyGradients(
  optimizer: AdamW, grads: Map<string, tf.Tensor>, variables: VariableMap, learningRate: number, maxGradNorm: number,
): Promise<number> {
  let norm: tf.Scalar | null = null;
  if (maxGradNorm > 0 && hasFusedAdamW()) {
    // The backend's fused update scales each gradient as it reads it: no clipped copies.
    const clip = clipCoefficient(grads, maxGradNorm);
    norm = clip.norm;
    try {
      optimizer.step(grads, variables, learningRate, clip.coef);
    } finally {
      tf.dispose([clip.coef, ...grads.values()]);
    }
  } else {
    const clipped = maxGradNorm > 0 ? clipByGlobalNorm(grads, maxGradNorm) : null;
    norm = clipped?.norm ?? null;
    try {
      optimizer.step(clipped?.grads ?? grads, variables, learningRate);
    } finally {
      tf.dispose([...(clipped?.grads.values() ?? []), ...grads.values()]);
    }
  }
  if (!norm) return NaN;
  try {
    return (await norm.data())[0];
  } finally {
    norm.dispose();
  }
}
