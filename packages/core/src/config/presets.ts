import { BERT_DEFAULTS, type BertConfig } from './bert-config.js';

/**
 * Model sizes for `init` (random weights, for tests and benchmarks). mini/small/medium are the
 * shapes of Google's compact BERTs (Turc et al., 2019); base and large the original BERT's.
 */
export const BERT_PRESETS = {
  tiny: { num_hidden_layers: 2, hidden_size: 128, num_attention_heads: 2 },
  mini: { num_hidden_layers: 4, hidden_size: 256, num_attention_heads: 4 },
  small: { num_hidden_layers: 4, hidden_size: 512, num_attention_heads: 8 },
  medium: { num_hidden_layers: 8, hidden_size: 512, num_attention_heads: 8 },
  base: { num_hidden_layers: 12, hidden_size: 768, num_attention_heads: 12 },
  large: { num_hidden_layers: 24, hidden_size: 1024, num_attention_heads: 16 },
} as const;

export type BertPreset = keyof typeof BERT_PRESETS;

export function isBertPreset(name: string): name is BertPreset {
  return Object.prototype.hasOwnProperty.call(BERT_PRESETS, name);
}

/** The encoder families `init --arch` makes. */
export const ENCODER_ARCHS = ['bert', 'roberta', 'distilbert'] as const;
export type EncoderArch = (typeof ENCODER_ARCHS)[number];

export function isEncoderArch(name: string): name is EncoderArch {
  return (ENCODER_ARCHS as readonly string[]).includes(name);
}

/**
 * What each family's released checkpoints set beyond the preset's shape: roberta-base's
 * config.json (one token type, LayerNorm eps 1e-5, pad 1 / bos 0 / eos 2, 514 positions = 512
 * tokens after the pad id) and distilbert-base-uncased's (seq_classif_dropout 0.2, trained
 * positions).
 */
const ARCH_SETTINGS: Record<EncoderArch, { fields: Partial<Omit<BertConfig, 'extra'>>; extra: Record<string, unknown> }> = {
  bert: { fields: {}, extra: { architectures: ['BertModel'], model_type: 'bert' } },
  roberta: {
    fields: { type_vocab_size: 1, layer_norm_eps: 1e-5, pad_token_id: 1, max_position_embeddings: 514 },
    extra: { architectures: ['RobertaModel'], model_type: 'roberta', bos_token_id: 0, eos_token_id: 2 },
  },
  distilbert: {
    fields: { type_vocab_size: 1, classifier_dropout: 0.2 },
    extra: { architectures: ['DistilBertModel'], model_type: 'distilbert', sinusoidal_pos_embds: false },
  },
};

/** A full config for a preset; intermediate size is 4 × hidden as in every released BERT (and RoBERTa, DistilBERT). */
export function presetConfig(preset: BertPreset, vocabSize: number, arch: EncoderArch = 'bert'): BertConfig {
  const shape = BERT_PRESETS[preset];
  const { fields, extra } = ARCH_SETTINGS[arch];
  return {
    ...BERT_DEFAULTS,
    ...shape,
    intermediate_size: 4 * shape.hidden_size,
    vocab_size: vocabSize,
    ...fields,
    extra: { ...extra },
  };
}
