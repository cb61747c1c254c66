import { parseBertConfig, serializeBertFields, type BertConfig } from '../../config/bert-config.js';
import type { ConfigFormat } from '../../config/config-formats.js';

/**
 * Hugging Face's `RobertaConfig` defaults where they differ from BERT's (the keys are BERT's).
 * roberta-base's own config.json sets type_vocab_size 1 and layer_norm_eps 1e-5 explicitly.
 */
export const ROBERTA_DEFAULTS = { vocab_size: 50265, pad_token_id: 1 } as const;

/** RoBERTa's config.json: BERT's keys and validation, RoBERTa's defaults, `model_type: roberta` kept. */
export const ROBERTA_CONFIG: ConfigFormat = {
  parse(raw, file): BertConfig {
    const config = parseBertConfig({ ...ROBERTA_DEFAULTS, ...raw, model_type: 'bert' }, file);
    config.extra.model_type = 'roberta'; // same key position, so a saved config.json keeps its layout
    return config;
  },
  serialize: (config) => serializeBertFields(config),
};
