/**
 * @maxpoolbert/core — backend-agnostic: BERT config, tokenizer, checkpoint I/O, the encoder,
 * pooling, and the registries (encoders, heads, backends) other packages plug into.
 * It imports only @tensorflow/tfjs-core and pure libraries, so it runs in Node and browsers.
 */
export * from './errors.js';
export * from './io/model-source.js';
export * from './config/index.js';
export * from './tokenizer/index.js';
export * from './weights/index.js';
export * from './random/seeded-rng.js';
export * from './model/types.js';
export * from './model/layers.js';
export * from './model/bert-parameters.js';
export * from './model/bert-encoder.js';
export * from './model/batch.js';
export * from './model/pooling.js';
export * from './model/load-bert.js';
export * from './model/model-folder.js';
export * from './registry/registry.js';
export * from './registry/heads.js';
export * from './registry/encoders.js';
export * from './families/index.js';
export * from './backend/registry.js';
export * from './backend/choose-backend.js';
export * from './backend/kernels/index.js';
export * from './model/head-spec.js';
export * from './model/labels.js';
export * from './model/sequence-classifier.js';
export * from './model/load-classifier.js';
export * from './model/classifier-folder.js';
export * from './inference/classify.js';
export * from './inference/embed.js';
export * from './model/masked-lm-head.js';
export * from './model/masked-lm-head-weights.js';
export * from './model/masked-lm.js';
export * from './model/masked-lm-folder.js';
export * from './inference/fill-mask.js';
export * from './data/index.js';
export * from './metrics/index.js';
export * from './stats/index.js';
export * from './train/optim/index.js';
export * from './train/options.js';
export * from './train/loss.js';
export * from './train/sparse-cross-entropy.js';
export * from './train/evaluate.js';
export * from './train/trainer-state.js';
export * from './train/step.js';
export * from './train/trainer.js';
export * from './pretrain/index.js';
export * from './bench/index.js';
