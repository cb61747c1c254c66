import type { BertConfig } from '../config/bert-config.js';
import type { HostTensor } from '../weights/named-tensor.js';
import type { Encoder } from '../model/types.js';
import { BertEncoder } from '../model/bert-encoder.js';
import { Registry } from './registry.js';

/**
 * Builds an encoder from its config and checked weights. Keyed by config.json's `model_type`,
 * so another BERT-shaped architecture plugs in with `registerEncoder` and no change to core.
 */
export type EncoderFactory = (config: BertConfig, weights: Map<string, HostTensor>, opts: { trainable?: boolean }) => Encoder;

export const encoders = new Registry<EncoderFactory>('encoder');

export function registerEncoder(modelType: string, factory: EncoderFactory, opts: { override?: boolean } = {}): void {
  encoders.register(modelType, factory, opts);
}

registerEncoder('bert', (config, weights, opts) => new BertEncoder(config, weights, opts));
