import { inputError } from '../errors.js';
import { configFormat, configFormatNames } from './config-formats.js';

/** The activations BERT checkpoints use, by their Hugging Face names. */
export type HiddenAct = 'gelu' | 'gelu_new' | 'gelu_pytorch_tanh' | 'relu';

/** A BERT configuration, with Hugging Face `config.json` field names. */
export interface BertConfig {
  vocab_size: number;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  hidden_act: HiddenAct;
  hidden_dropout_prob: number;
  attention_probs_dropout_prob: number;
  max_position_embeddings: number;
  type_vocab_size: number;
  layer_norm_eps: number;
  pad_token_id: number;
  initializer_range: number;
  classifier_dropout: number | null;
  /** Every other field of config.json, kept so a saved folder round-trips (labels, head settings...). */
  extra: Record<string, unknown>;
}

const SUPPORTED_ACTS: readonly HiddenAct[] = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'relu'];

/** Hugging Face's BertConfig defaults (bert-base-uncased), used for fields a config.json omits. */
export const BERT_DEFAULTS: Omit<BertConfig, 'extra'> = {
  vocab_size: 30522,
  hidden_size: 768,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  intermediate_size: 3072,
  hidden_act: 'gelu',
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  max_position_embeddings: 512,
  type_vocab_size: 2,
  layer_norm_eps: 1e-12,
  pad_token_id: 0,
  initializer_range: 0.02,
  classifier_dropout: null,
};

type NumberField = Exclude<keyof typeof BERT_DEFAULTS, 'hidden_act' | 'classifier_dropout'>;
const POSITIVE_INTS: NumberField[] = [
  'vocab_size', 'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'intermediate_size',
  'max_position_embeddings', 'type_vocab_size',
];
const PROBABILITIES: NumberField[] = ['hidden_dropout_prob', 'attention_probs_dropout_prob'];

/**
 * Parses and validates a Hugging Face BERT `config.json`. Fields we cannot honour (another
 * position embedding type, decoder or cross-attention settings) are errors rather than being
 * silently ignored, because the model would compute something else than the checkpoint expects.
 */
export function parseBertConfig(json: unknown, file = 'config.json'): BertConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw inputError('must be a JSON object', { file, fix: 'use a Hugging Face BERT config.json' });
  }
  const raw = json as Record<string, unknown>;
  const fail = (field: string, problem: string, fix?: string) => inputError(problem, { file, field, fix });

  const family = configFormat(raw.model_type);
  if (family) return family.parse(raw, file);
  if (raw.model_type !== undefined && !['bert', 'maxpoolbert'].includes(String(raw.model_type))) {
    throw fail('model_type', `"${String(raw.model_type)}" is not supported`, `supported: ${['bert', 'maxpoolbert', ...configFormatNames()].join(', ')}`);
  }
  const pet = raw.position_embedding_type;
  if (pet !== undefined && pet !== 'absolute') {
    throw fail('position_embedding_type', `"${String(pet)}" is not supported`, 'only "absolute" position embeddings are implemented');
  }
  for (const flag of ['is_decoder', 'add_cross_attention'] as const) {
    if (raw[flag] === true) throw fail(flag, 'must be false', 'decoder BERT models are not supported; use an encoder checkpoint');
  }

  const config: BertConfig = { ...BERT_DEFAULTS, extra: {} };
  // position_embedding_type is checked above and always written back as "absolute".
  const known = new Set<string>([...Object.keys(BERT_DEFAULTS), 'position_embedding_type']);
  for (const [key, value] of Object.entries(raw)) {
    if (!known.has(key)) config.extra[key] = value;
  }

  for (const field of [...POSITIVE_INTS, 'pad_token_id'] as NumberField[]) {
    if (raw[field] === undefined) continue;
    const v = raw[field];
    const minimum = field === 'pad_token_id' ? 0 : 1;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < minimum) {
      throw fail(field, `must be an integer >= ${minimum}, got ${JSON.stringify(v)}`);
    }
    config[field] = v;
  }
  for (const field of [...PROBABILITIES, 'layer_norm_eps', 'initializer_range'] as NumberField[]) {
    if (raw[field] === undefined) continue;
    const v = raw[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw fail(field, `must be a number >= 0, got ${JSON.stringify(v)}`);
    if (PROBABILITIES.includes(field) && v >= 1) throw fail(field, `must be below 1, got ${v}`);
    config[field] = v;
  }
  if (raw.classifier_dropout !== undefined && raw.classifier_dropout !== null) {
    const v = raw.classifier_dropout;
    if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw fail('classifier_dropout', `must be null or a number in [0, 1), got ${JSON.stringify(v)}`);
    config.classifier_dropout = v;
  }
  if (raw.hidden_act !== undefined) {
    const act = raw.hidden_act;
    if (typeof act !== 'string' || !SUPPORTED_ACTS.includes(act as HiddenAct)) {
      throw fail('hidden_act', `${JSON.stringify(act)} is not supported`, `use one of ${SUPPORTED_ACTS.join(', ')}`);
    }
    config.hidden_act = act as HiddenAct;
  }
  if (config.hidden_size % config.num_attention_heads !== 0) {
    throw fail('num_attention_heads', `hidden_size ${config.hidden_size} is not divisible by num_attention_heads ${config.num_attention_heads}`);
  }
  if (config.pad_token_id >= config.vocab_size) {
    throw fail('pad_token_id', `${config.pad_token_id} is outside the vocabulary (vocab_size ${config.vocab_size})`);
  }
  return config;
}

/**
 * Back to a config.json object: known fields first, then every extra field unchanged. A family
 * with its own keys (DistilBERT) writes those (see `registerConfigFormat`).
 */
export function serializeBertConfig(config: BertConfig): Record<string, unknown> {
  const family = configFormat(config.extra.model_type);
  if (family) return family.serialize(config);
  return serializeBertFields(config);
}

/** BERT's own layout (also RoBERTa's, whose config.json has BERT's keys). */
export function serializeBertFields(config: BertConfig): Record<string, unknown> {
  const { extra, ...known } = config;
  return { ...extra, model_type: extra.model_type ?? 'bert', ...known, position_embedding_type: 'absolute' };
}
