import type { EncoderFamily } from '../family.js';
import { DISTILBERT_CONFIG } from './distilbert-config.js';
import { DISTILBERT_VARIANT } from './distilbert-embeddings.js';
import { canonicalToDistilBert, distilBertToCanonical } from './distilbert-names.js';

/** Heads of `DistilBertForMaskedLM` (vocab_*), `...ForSequenceClassification` (pre_classifier, classifier) and `...ForQuestionAnswering`. */
const FOREIGN_HEADS = ['vocab_transform.', 'vocab_layer_norm.', 'vocab_projector.', 'pre_classifier.', 'qa_outputs.'];

/** DistilBERT (Hugging Face `DistilBertModel`): its own config keys and layer names under `distilbert.`. */
export const DISTILBERT: EncoderFamily = {
  modelType: 'distilbert',
  prefix: 'distilbert.',
  variant: DISTILBERT_VARIANT,
  config: DISTILBERT_CONFIG,
  canonicalName: distilBertToCanonical,
  checkpointName: canonicalToDistilBert,
  // Hugging Face's classifier is `classifier.{weight,bias}`, as ours is: it is only ours in a MaxPoolBERT folder.
  isForeignHead: (key, { fineTuned }) => FOREIGN_HEADS.some((p) => key.startsWith(p)) || (!fineTuned && key.startsWith('classifier.')),
};

export { DISTILBERT_CONFIG, DISTILBERT_DEFAULTS, DISTILBERT_KEYS, sinusoidalPositions } from './distilbert-config.js';
export { DISTILBERT_VARIANT, sinusoidalTable } from './distilbert-embeddings.js';
export { canonicalToDistilBert, distilBertToCanonical } from './distilbert-names.js';
