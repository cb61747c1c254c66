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

/** A full config for a preset; intermediate size is 4 × hidden as in every released BERT. */
export function presetConfig(preset: BertPreset, vocabSize: number): BertConfig {
  const shape = BERT_PRESETS[preset];
  return {
    ...BERT_DEFAULTS,
    ...shape,
    intermediate_size: 4 * shape.hidden_size,
    vocab_size: vocabSize,
    extra: { architectures: ['BertModel'], model_type: 'bert' },
  };
}
