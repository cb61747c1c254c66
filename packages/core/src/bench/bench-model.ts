import * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../config/bert-config.js';
import { presetConfig, type BertPreset } from '../config/presets.js';
import { initBertParameters } from '../model/bert-parameters.js';
import { defaultLabels } from '../model/labels.js';
import { buildSequenceClassifier } from '../model/load-classifier.js';
import type { SequenceClassifier } from '../model/sequence-classifier.js';
import type { Batch } from '../model/types.js';
import { SeededRng } from '../random/seeded-rng.js';
import type { HeadSpec } from '../registry/heads.js';
import { labelTensor } from '../train/loss.js';

/** bert-base-uncased's vocabulary, the one `maxpoolbert init` uses by default. */
export const BENCH_VOCAB_SIZE = 30522;

/** What a benchmark runs: a model size, a head, a batch shape. */
export interface BenchModelSpec {
  /** A preset name, or a full config (e.g. a preset with fewer layers). */
  preset: BertPreset | BertConfig;
  head: HeadSpec;
  batch: number;
  seq: number;
  /** Default 2 (binary classification). */
  numLabels?: number;
  /** Default {@link BENCH_VOCAB_SIZE}. */
  vocabSize?: number;
  seed?: number;
}

export function benchConfig(spec: Pick<BenchModelSpec, 'preset' | 'vocabSize'>): BertConfig {
  return typeof spec.preset === 'string' ? presetConfig(spec.preset, spec.vocabSize ?? BENCH_VOCAB_SIZE) : spec.preset;
}

/**
 * A classifier with random weights, as `maxpoolbert init` makes them (`initBertParameters`, the
 * same config), plus a new head and classifier: speed does not depend on the values.
 */
export function benchModel(spec: BenchModelSpec, trainable: boolean): SequenceClassifier {
  const config = benchConfig(spec);
  const seed = spec.seed ?? 0;
  // Heads that pool over the last k layers default to the paper's k = 3; a 2-layer model pools both.
  const L = config.num_hidden_layers;
  const head = spec.head.layers === undefined && L < 3 ? { ...spec.head, layers: L } : spec.head;
  return buildSequenceClassifier({
    config,
    encoderWeights: initBertParameters(config, seed),
    head,
    labels: defaultLabels(spec.numLabels ?? 2),
    rng: new SeededRng(seed + 1),
    trainable,
  });
}

/**
 * A full batch [B, T] of random token ids (no padding: every position is a real token, the
 * worst case a benchmark should time), [CLS] first, token type 0, and random labels.
 */
export function benchBatch(config: BertConfig, B: number, T: number, numLabels = 2, seed = 0): { batch: Batch; labels: tf.Tensor1D } {
  const rng = new SeededRng(seed);
  const ids = benchTokenIds(config, B, T, rng);
  const labels = Array.from({ length: B }, () => Math.floor(rng.next() * numLabels));
  return {
    batch: {
      inputIds: tf.tensor2d(ids, [B, T], 'int32'),
      tokenTypeIds: tf.zeros([B, T], 'int32') as tf.Tensor2D,
      attentionMask: tf.ones([B, T], 'int32') as tf.Tensor2D,
    },
    labels: labelTensor(numLabels === 1 ? labels.map(() => rng.next()) : labels, defaultLabels(numLabels).problemType),
  };
}

/**
 * The token ids of {@link benchBatch} ([B·T], row-major), drawn from `rng`: [CLS] first, then
 * random real words. Host-only, so runtimes other than tfjs (the onnxruntime reference in the
 * CLI's bench) time the very same batch.
 */
export function benchTokenIds(config: BertConfig, B: number, T: number, rng: SeededRng = new SeededRng(0)): Int32Array {
  if (T > config.max_position_embeddings) throw new RangeError(`seq ${T} is longer than max_position_embeddings ${config.max_position_embeddings}`);
  const ids = new Int32Array(B * T);
  // Ids 0..999 are special and unused tokens in BERT vocabularies; draw real words above them.
  const low = Math.min(1000, config.vocab_size - 1);
  for (let i = 0; i < ids.length; i++) ids[i] = i % T === 0 ? Math.min(101, config.vocab_size - 1) : low + Math.floor(rng.next() * (config.vocab_size - low));
  return ids;
}
