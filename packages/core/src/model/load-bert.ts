import { parseBertConfig, type BertConfig } from '../config/bert-config.js';
import { inputError } from '../errors.js';
import type { ModelSource } from '../io/model-source.js';
import { encoders } from '../registry/encoders.js';
import { loadTokenizer, type BertTokenizer } from '../tokenizer/index.js';
import { loadCheckpoint, matchParameters } from '../weights/index.js';
import type { HostTensor } from '../weights/named-tensor.js';
import { bertParameterShapes } from './bert-parameters.js';
import type { Encoder } from './types.js';

/** What loading found in a checkpoint, for `inspect` and for warnings. */
export interface WeightsReport {
  /** The weights file read (path). */
  file: string;
  /** On-disk dtype of every tensor. */
  dtypes: Record<string, string>;
  /** Parameters the checkpoint lacks that the caller allowed (they are newly initialised). */
  missing: string[];
  /** Keys the encoder does not use, other than the known ignored ones (e.g. head.*, classifier.*). */
  unexpected: string[];
  /** Keys set aside on purpose (pre-training heads `cls.*`, buffers). */
  ignored: string[];
}

export interface LoadedWeights {
  /** Encoder parameters under canonical names. */
  encoder: Map<string, HostTensor>;
  /** Tensors outside the encoder (`head.*`, `classifier.*`...), for the classifier to take. */
  rest: Map<string, HostTensor>;
  report: WeightsReport;
}

/**
 * Reads and validates `config.json`. A `model_type` registered with `registerEncoder` (a
 * BERT-shaped architecture from another package) is accepted besides "bert"/"maxpoolbert":
 * the BERT fields are validated as usual and `extra.model_type` keeps the registered name, so
 * `loadBertModel` builds that encoder. Any other model_type is still rejected by parseBertConfig.
 */
export async function readBertConfig(source: ModelSource): Promise<BertConfig> {
  const file = source.pathOf('config.json');
  if (!(await source.has('config.json'))) {
    throw inputError('file not found', { file, fix: 'a model folder needs config.json (Hugging Face format); create one with `maxpoolbert init`' });
  }
  let json: unknown;
  try {
    json = JSON.parse(await source.readText('config.json'));
  } catch (err) {
    throw inputError(`not valid JSON (${(err as Error).message})`, { file });
  }
  const modelType = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).model_type : undefined;
  if (typeof modelType === 'string' && modelType !== 'bert' && modelType !== 'maxpoolbert' && encoders.has(modelType)) {
    const config = parseBertConfig({ ...(json as Record<string, unknown>), model_type: 'bert' }, file);
    config.extra.model_type = modelType; // same key position, so a saved config.json keeps its layout
    return config;
  }
  return parseBertConfig(json, file);
}

/**
 * Reads the folder's weights (model.safetensors or pytorch_model.bin), maps Hugging Face names
 * to ours and checks every encoder parameter's presence and shape.
 */
export async function loadBertWeights(
  source: ModelSource,
  config: BertConfig,
  opts: { allowMissing?: (name: string) => boolean } = {},
): Promise<LoadedWeights> {
  const checkpoint = await loadCheckpoint(source);
  const expected = bertParameterShapes(config);
  const matched = matchParameters(expected, checkpoint.tensors, { file: checkpoint.file, allowMissing: opts.allowMissing });
  return {
    encoder: matched.tensors,
    rest: matched.rest,
    report: { file: checkpoint.file, dtypes: checkpoint.dtypes, missing: matched.missing, unexpected: matched.unexpected, ignored: matched.ignored },
  };
}

export interface LoadedBert {
  config: BertConfig;
  tokenizer: BertTokenizer;
  encoder: Encoder;
  /** Tensors that are not the encoder's (a classifier checkpoint's head and classifier). */
  rest: Map<string, HostTensor>;
  report: WeightsReport;
}

/** Loads a Hugging Face BERT folder: config, tokenizer and encoder on the current tfjs backend. */
export async function loadBertModel(source: ModelSource, opts: { trainable?: boolean } = {}): Promise<LoadedBert> {
  const config = await readBertConfig(source);
  const tokenizer = await loadTokenizer(source);
  if (tokenizer.vocabSize > config.vocab_size) {
    throw inputError(`the tokenizer has ${tokenizer.vocabSize} tokens but vocab_size is ${config.vocab_size}`, {
      file: source.pathOf('config.json'), field: 'vocab_size', fix: 'use the vocab.txt the model was trained with',
    });
  }
  const weights = await loadBertWeights(source, config);
  const modelType = typeof config.extra.model_type === 'string' && encoders.has(config.extra.model_type) ? config.extra.model_type : 'bert';
  const encoder = encoders.get(modelType)(config, weights.encoder, { trainable: opts.trainable });
  weights.encoder.clear(); // the encoder holds its own copy now; let the host copies go
  return { config, tokenizer, encoder, rest: weights.rest, report: weights.report };
}
