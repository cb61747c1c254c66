import { BERT_VARIANT } from '../../model/bert-encoder.js';
import type { EncoderFamily } from '../family.js';

/**
 * BERT (Hugging Face `BertModel`): the canonical names themselves, under `bert.`. Its key
 * normalisation (TF-era gamma/beta, `cls.*`, buffers) is `normalizeCheckpointKey`'s; this family
 * is also what a `registerEncoder` model type without a family of its own uses.
 */
export const BERT: EncoderFamily = {
  modelType: 'bert',
  prefix: 'bert.',
  variant: BERT_VARIANT,
  canonicalName: (key) => key,
  checkpointName: (name) => name,
  isForeignHead: (key) => key.startsWith('cls.'),
};
