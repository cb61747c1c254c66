import { parseBertConfig, type BertConfig } from '../config/bert-config.js';
import { configFormat, configFormatNames } from '../config/config-formats.js';
import { inputError } from '../errors.js';
import { BERT, encoderFamily, familyCheckpointTensors, ROBERTA } from '../families/index.js';
import type { ModelSource } from '../io/model-source.js';
import { createEncoder, encoders } from '../registry/encoders.js';
import { loadTokenizer, type Tokenizer } from '../tokenizer/index.js';
import { loadCheckpoint, matchParameters } from '../weights/index.js';
import type { HostTensor } from '../weights/named-tensor.js';
import { initPoolerParameters, POOLER_PARAMETERS } from './bert-parameters.js';
import type { Encoder } from './types.js';

/**
 * config.json key a fine-tuned folder built without a pooler (`--no-pooler`) carries, so that
 * loading it again builds no pooler either (rather than a new, unused one).
 */
export const NO_POOLER_KEY = 'maxpoolbert_pooler';

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
  /** Keys set aside on purpose (pre-training heads `cls.*`, `lm_head.*`, other task heads, buffers). */
  ignored: string[];
  /**
   * Encoder parameters the checkpoint lacks that loading initialised itself (Hugging Face's init,
   * seeded): the pooler, `pooler.dense.weight` and `pooler.dense.bias`, of a checkpoint that has
   * none (BertForMaskedLM, DistilBERT). Empty otherwise.
   */
  initialised: string[];
  /** True when the pooler is new (`initialised` holds it): "pooler: newly initialised (the checkpoint has none)". */
  poolerInitialised: boolean;
  /** False when the model was loaded without a pooler at all (`pooler: false`, the CLI's --no-pooler). */
  pooler: boolean;
}

export interface LoadWeightsOptions {
  /** Expected parameters that may be absent (listed in `missing`); inspect allows all. */
  allowMissing?: (name: string) => boolean;
  /** False: no pooler (a checkpoint's pooler is ignored). Default: true, unless config.json says `maxpoolbert_pooler: false`. */
  pooler?: boolean;
  /** Seeds a new pooler's weights (default 42). */
  seed?: number;
}

/**
 * RoBERTa's position ids are computed from the pad id (config.json's `pad_token_id`), so a
 * tokenizer that pads with another id would shift every position of a padded row: refused.
 */
export function checkPadId(config: BertConfig, tokenizer: Pick<Tokenizer, 'padId'>, file: string): void {
  if (encoderFamily(config) === ROBERTA && tokenizer.padId !== config.pad_token_id) {
    throw inputError(`pad_token_id is ${config.pad_token_id} but the tokenizer pads with id ${tokenizer.padId}`, {
      file, field: 'pad_token_id', fix: "RoBERTa's positions are counted from the pad id: use the tokenizer files the model was trained with",
    });
  }
}

/** Whether to build a pooler: the caller's choice, else the folder's (`maxpoolbert_pooler: false` when saved without one). */
export function wantsPooler(config: BertConfig, pooler?: boolean): boolean {
  return pooler ?? config.extra[NO_POOLER_KEY] !== false;
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
 * `loadBertModel` builds that encoder. RoBERTa and DistilBERT configs are mapped by their
 * families (`src/families/`); any other model_type is one error listing the supported ones.
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
  const builtIn = modelType === undefined || modelType === 'bert' || modelType === 'maxpoolbert' || configFormat(modelType) !== undefined;
  if (!builtIn && !(typeof modelType === 'string' && encoders.has(modelType))) {
    const supported = [...new Set(['bert', 'maxpoolbert', ...configFormatNames(), ...encoders.names()])];
    throw inputError(`${JSON.stringify(modelType)} is not supported`, {
      file, field: 'model_type', fix: `supported: ${supported.join(', ')} (others load once a package registers them with registerEncoder)`,
    });
  }
  if (!builtIn) {
    const config = parseBertConfig({ ...(json as Record<string, unknown>), model_type: 'bert' }, file);
    config.extra.model_type = modelType; // same key position, so a saved config.json keeps its layout
    return config;
  }
  return parseBertConfig(json, file);
}

/**
 * Reads the folder's weights (model.safetensors or pytorch_model.bin), maps the family's
 * Hugging Face names (BERT, RoBERTa, DistilBERT) to the canonical ones and checks every encoder
 * parameter's presence and shape. A missing pooler is initialised (Hugging Face's init, seeded)
 * and reported in `initialised`; any other missing parameter is an error.
 */
export async function loadBertWeights(source: ModelSource, config: BertConfig, opts: LoadWeightsOptions = {}): Promise<LoadedWeights> {
  const checkpoint = await loadCheckpoint(source);
  const family = encoderFamily(config);
  const pooler = wantsPooler(config, opts.pooler);
  const expected = family.variant.parameterShapes(config, { pooler });
  const mapped = family === BERT
    ? { tensors: checkpoint.tensors, ignored: [] as string[] }
    : familyCheckpointTensors(family, checkpoint.tensors, { file: checkpoint.file, fineTuned: config.extra.maxpoolbert_head !== undefined });
  const isPooler = (name: string) => POOLER_PARAMETERS.includes(name);
  const matched = matchParameters(expected, mapped.tensors, {
    file: checkpoint.file, allowMissing: (name) => isPooler(name) || (opts.allowMissing?.(name) ?? false),
  });
  const initialised = matched.missing.filter(isPooler);
  if (initialised.length) {
    // Seeded apart from the head's and classifier's init, which start from the same seed.
    for (const [name, t] of initPoolerParameters(config, ((opts.seed ?? 42) ^ 0x706f6f6c) >>> 0)) matched.tensors.set(name, t);
  }
  // Encoder parameters this model does not build (a pooler under --no-pooler, a trained table
  // where DistilBERT's positions are sinusoidal) are set aside, not unexpected.
  const known = new Set([...family.variant.parameterShapes(config, { pooler: true }).keys(), ...(family.variant.constants?.(config).keys() ?? [])]);
  const setAside = matched.unexpected.filter((name) => known.has(name) && !expected.has(name));
  for (const name of setAside) matched.rest.delete(name);
  return {
    encoder: matched.tensors,
    rest: matched.rest,
    report: {
      file: checkpoint.file,
      dtypes: checkpoint.dtypes,
      missing: matched.missing.filter((name) => !isPooler(name)),
      unexpected: matched.unexpected.filter((name) => !setAside.includes(name)),
      ignored: [...mapped.ignored, ...matched.ignored, ...setAside.map((name) => (family === BERT ? name : family.prefix + family.checkpointName(name)))],
      initialised,
      poolerInitialised: initialised.length > 0,
      pooler,
    },
  };
}

export interface LoadedBert {
  config: BertConfig;
  tokenizer: Tokenizer;
  encoder: Encoder;
  /** Tensors that are not the encoder's (a classifier checkpoint's head and classifier). */
  rest: Map<string, HostTensor>;
  report: WeightsReport;
}

/** Loads a Hugging Face BERT, RoBERTa or DistilBERT folder: config, tokenizer and encoder on the current tfjs backend. */
export async function loadBertModel(source: ModelSource, opts: { trainable?: boolean; pooler?: boolean; seed?: number } = {}): Promise<LoadedBert> {
  const config = await readBertConfig(source);
  const tokenizer = await loadTokenizer(source);
  checkPadId(config, tokenizer, source.pathOf('config.json'));
  if (tokenizer.vocabSize > config.vocab_size) {
    throw inputError(`the tokenizer has ${tokenizer.vocabSize} tokens but vocab_size is ${config.vocab_size}`, {
      file: source.pathOf('config.json'), field: 'vocab_size', fix: 'use the vocab.txt the model was trained with',
    });
  }
  const weights = await loadBertWeights(source, config, { pooler: opts.pooler, seed: opts.seed });
  const encoder = createEncoder(config, weights.encoder, { trainable: opts.trainable, pooler: weights.report.pooler });
  weights.encoder.clear(); // the encoder holds its own copy now; let the host copies go
  return { config, tokenizer, encoder, rest: weights.rest, report: weights.report };
}
