import * as tf from '@tensorflow/tfjs-core';
import { disposeBatch, toBatch, type LoadedClassifier } from '@maxpoolbert/core';

export interface Prediction {
  logits: number[];
  /** Per label (softmax of the logits); empty for regression. */
  probabilities: number[];
  /** The most probable label, or the score for regression. */
  label: string;
  score?: number;
}

/**
 * Classifies texts the way `maxpoolbert predict` does (tokenizer → batch → logits → softmax),
 * with every intermediate tensor disposed. `maxLength` defaults to the model's
 * max_position_embeddings.
 */
export async function classifyTexts(loaded: LoadedClassifier, texts: string[], maxLength = loaded.config.max_position_embeddings): Promise<Prediction[]> {
  const { model, tokenizer } = loaded;
  const batch = toBatch(texts.map((t) => tokenizer.encode(t, undefined, { maxLength })), tokenizer.padId);
  const logits = model.logits(batch, { training: false });
  const probs = model.labels.problemType === 'regression' ? null : tf.softmax(logits);
  try {
    const values = (await logits.array()) as number[][];
    const probabilities = probs ? ((await probs.array()) as number[][]) : null;
    return values.map((l, i) => {
      if (!probabilities) return { logits: l, probabilities: [], label: String(l[0]), score: l[0] };
      const p = probabilities[i];
      return { logits: l, probabilities: p, label: model.labels.names[p.indexOf(Math.max(...p))] };
    });
  } finally {
    tf.dispose([logits, ...(probs ? [probs] : [])]);
    disposeBatch(batch);
  }
}
