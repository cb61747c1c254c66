import { parseBertConfig, type BertConfig } from '../../config/bert-config.js';
import type { ConfigFormat } from '../../config/config-formats.js';
import { inputError, MaxPoolBertError } from '../../errors.js';

/** DistilBERT's config.json keys → the canonical (BERT) fields they set. */
export const DISTILBERT_KEYS = {
  dim: 'hidden_size',
  n_layers: 'num_hidden_layers',
  n_heads: 'num_attention_heads',
  hidden_dim: 'intermediate_size',
  activation: 'hidden_act',
  dropout: 'hidden_dropout_prob',
  attention_dropout: 'attention_probs_dropout_prob',
  seq_classif_dropout: 'classifier_dropout',
} as const;

/** Hugging Face's `DistilBertConfig` defaults (distilbert-base-uncased). */
export const DISTILBERT_DEFAULTS = {
  vocab_size: 30522, max_position_embeddings: 512, sinusoidal_pos_embds: false, n_layers: 6, n_heads: 12,
  dim: 768, hidden_dim: 3072, dropout: 0.1, attention_dropout: 0.1, activation: 'gelu', initializer_range: 0.02,
  seq_classif_dropout: 0.2, pad_token_id: 0,
} as const;

/** DistilBERT hard-codes its LayerNorm epsilon (`nn.LayerNorm(dim, eps=1e-12)`) and has no token types. */
const FIXED = { layer_norm_eps: 1e-12, type_vocab_size: 1 } as const;
/** BERT keys a DistilBERT config.json must not carry: they would be read as something else. */
const CANONICAL_NAMES = new Set<string>(Object.values(DISTILBERT_KEYS));

/** Whether the position table is the fixed sinusoidal one (`sinusoidal_pos_embds: true`). */
export function sinusoidalPositions(config: BertConfig): boolean {
  return config.extra.sinusoidal_pos_embds === true;
}

export const DISTILBERT_CONFIG: ConfigFormat = {
  parse(raw, file): BertConfig {
    for (const key of Object.keys(raw)) {
      if (CANONICAL_NAMES.has(key)) {
        const own = Object.entries(DISTILBERT_KEYS).find(([, bert]) => bert === key)![0];
        throw inputError(`a DistilBERT config sets "${own}", not "${key}"`, { file, field: key, fix: `rename it to "${own}"` });
      }
    }
    const sinusoidal = raw.sinusoidal_pos_embds ?? DISTILBERT_DEFAULTS.sinusoidal_pos_embds;
    if (typeof sinusoidal !== 'boolean') throw inputError('must be true or false', { file, field: 'sinusoidal_pos_embds' });
    const mapped: Record<string, unknown> = {};
    const withDefaults: Record<string, unknown> = { ...DISTILBERT_DEFAULTS, ...raw };
    for (const [key, value] of Object.entries(withDefaults)) {
      const bert = (DISTILBERT_KEYS as Record<string, string>)[key];
      mapped[bert ?? key] = value;
    }
    let config: BertConfig;
    try {
      config = parseBertConfig({ ...mapped, ...FIXED, model_type: 'bert' }, file);
    } catch (err) {
      // Name DistilBERT's key in the message, not the BERT field it was mapped to.
      if (!(err instanceof MaxPoolBertError) || !err.field) throw err;
      const own = Object.entries(DISTILBERT_KEYS).find(([, bert]) => bert === err.field)?.[0];
      if (!own) throw err;
      throw new MaxPoolBertError(err.message.replace(`${file}: ${err.field}: `, `${file}: ${own}: `), { file, field: own });
    }
    config.extra.model_type = 'distilbert';
    config.extra.sinusoidal_pos_embds = sinusoidal;
    return config;
  },
  serialize(config): Record<string, unknown> {
    const { model_type: _type, sinusoidal_pos_embds: sinusoidal, ...extra } = config.extra;
    return {
      ...extra,
      model_type: 'distilbert',
      vocab_size: config.vocab_size,
      max_position_embeddings: config.max_position_embeddings,
      sinusoidal_pos_embds: sinusoidal === true,
      n_layers: config.num_hidden_layers,
      n_heads: config.num_attention_heads,
      dim: config.hidden_size,
      hidden_dim: config.intermediate_size,
      dropout: config.hidden_dropout_prob,
      attention_dropout: config.attention_probs_dropout_prob,
      activation: config.hidden_act,
      initializer_range: config.initializer_range,
      seq_classif_dropout: config.classifier_dropout ?? DISTILBERT_DEFAULTS.seq_classif_dropout,
      pad_token_id: config.pad_token_id,
    };
  },
};
