import type { BertConfig } from '../config/bert-config.js';
import type { HostTensor } from '../weights/named-tensor.js';
import type { Encoder } from '../model/types.js';
import { BertEncoder, TransformerEncoder } from '../model/bert-encoder.js';
import { BERT, ENCODER_FAMILIES } from '../families/index.js';
import { Registry } from './registry.js';

export interface EncoderFactoryOptions {
  trainable?: boolean;
  /** False: build the encoder without a pooler (its `pool` then throws). Default true. */
  pooler?: boolean;
}

/**
 * Builds an encoder from its config and checked weights. Keyed by config.json's `model_type`,
 * so another BERT-shaped architecture plugs in with `registerEncoder` and no change to core.
 */
export type EncoderFactory = (config: BertConfig, weights: Map<string, HostTensor>, opts: EncoderFactoryOptions) => Encoder;

export const encoders = new Registry<EncoderFactory>('encoder');

export function registerEncoder(modelType: string, factory: EncoderFactory, opts: { override?: boolean } = {}): void {
  encoders.register(modelType, factory, opts);
}

// bert, roberta, distilbert: one shared transformer, each family's embeddings and names.
for (const family of ENCODER_FAMILIES) {
  registerEncoder(family.modelType, (config, weights, opts) =>
    family === BERT ? new BertEncoder(config, weights, opts) : new TransformerEncoder(family.variant, config, weights, opts));
}

/** The encoder registered for a config's `model_type` ("maxpoolbert" and no model_type: BERT). */
export function createEncoder(config: BertConfig, weights: Map<string, HostTensor>, opts: EncoderFactoryOptions = {}): Encoder {
  const modelType = typeof config.extra.model_type === 'string' && encoders.has(config.extra.model_type) ? config.extra.model_type : 'bert';
  // `pooler` is passed only when off, so factories written before it see the options they know.
  const { pooler, ...rest } = opts;
  return encoders.get(modelType)(config, weights, pooler === false ? { ...rest, pooler } : rest);
}
