import type * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../config/bert-config.js';
import type { SeededRng } from '../random/seeded-rng.js';
import type { EncoderOutput, VariableMap } from '../model/types.js';
import { Registry } from './registry.js';

/** A head's settings, as saved under `maxpoolbert_head` in config.json. */
export interface HeadSpec {
  type: string;
  /** k: how many of the last layers are pooled (max-cls, max-seq-mha). */
  layers?: number;
  /** Attention heads of the extra MHA layer (mha, max-seq-mha). */
  numHeads?: number;
  /** Whether the BERT pooler (tanh dense) is applied to the head's vector. */
  usePooler?: boolean;
  /** Dropout before the classifier. */
  dropout?: number;
}

/**
 * A pooling strategy: turns every hidden state into one sentence vector [B, H]. The shared
 * classifier (pooler, dropout, linear) wraps it, so a head only says how to pool.
 */
export interface Head {
  readonly spec: Required<HeadSpec>;
  vector(out: EncoderOutput, opts: { training: boolean; rng?: SeededRng }): tf.Tensor2D;
  /** The head's own parameters, saved under `head.<name>`. */
  variables(): VariableMap;
  dispose(): void;
}

/** Makes a head for an encoder; `rng` initialises its parameters reproducibly. */
export type HeadFactory = (spec: HeadSpec, config: BertConfig, rng: SeededRng) => Head;

export const heads = new Registry<HeadFactory>('head');

/** Third-party heads call this on import; then they are usable by name, from the CLI too. */
export function registerHead(name: string, factory: HeadFactory, opts: { aliases?: string[]; override?: boolean } = {}): void {
  heads.register(name, factory, opts);
}

/**
 * Builds a head by type name (aliases allowed). The head fills in its own defaults (k, number
 * of attention heads, pooler use) and validates them against the encoder's config.
 */
export function createHead(spec: HeadSpec, config: BertConfig, rng: SeededRng): Head {
  const type = heads.resolve(spec.type);
  return heads.get(type)({ ...spec, type }, config, rng);
}
