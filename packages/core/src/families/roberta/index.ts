import type { EncoderFamily } from '../family.js';
import { ROBERTA_CONFIG } from './roberta-config.js';
import { ROBERTA_VARIANT } from './roberta-embeddings.js';

/** Heads of `RobertaForMaskedLM` (`lm_head.*`) and `RobertaForSequenceClassification` (`classifier.dense/out_proj`). */
const FOREIGN_HEADS = ['lm_head.', 'classifier.dense.', 'classifier.out_proj.'];

/** RoBERTa (Hugging Face `RobertaModel`): BERT's parameter names under `roberta.`. */
export const ROBERTA: EncoderFamily = {
  modelType: 'roberta',
  prefix: 'roberta.',
  variant: ROBERTA_VARIANT,
  config: ROBERTA_CONFIG,
  canonicalName: (key) => key,
  checkpointName: (name) => name,
  isForeignHead: (key) => FOREIGN_HEADS.some((p) => key.startsWith(p)),
};

export { ROBERTA_CONFIG, ROBERTA_DEFAULTS } from './roberta-config.js';
export { ROBERTA_VARIANT, robertaPositionIds } from './roberta-embeddings.js';
