import * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../config/bert-config.js';
import { inputError } from '../errors.js';
import type { ModelSource } from '../io/model-source.js';
import { SeededRng } from '../random/seeded-rng.js';
import { createHead, heads, type Head, type HeadSpec } from '../registry/heads.js';
import { createEncoder } from '../registry/encoders.js';
import { loadTokenizer, type Tokenizer } from '../tokenizer/index.js';
import type { HostTensor } from '../weights/named-tensor.js';
import { headSpecFromJson } from './head-spec.js';
import { defaultLabels, labelsFromConfig, numLabels, type LabelSet } from './labels.js';
import { checkPadId, loadBertWeights, readBertConfig, type WeightsReport } from './load-bert.js';
import { CLASSIFIER_PREFIX, HEAD_PREFIX, SequenceClassifier } from './sequence-classifier.js';

/** Tokenizer files carried over unchanged when a fine-tuned model is saved (WordPiece's vocab.txt, byte-level BPE's vocab.json + merges.txt). */
export const TOKENIZER_FILES = ['vocab.txt', 'vocab.json', 'merges.txt', 'tokenizer_config.json', 'tokenizer.json', 'special_tokens_map.json'];

export interface LoadClassifierOptions {
  /** The head to use; default: the folder's own `maxpoolbert_head`. A different type starts a new head. */
  head?: HeadSpec;
  /** Labels for a new classifier; default: the folder's `id2label`, else 2 labels. */
  labels?: LabelSet;
  /** Seed for newly initialised head and classifier weights. */
  seed?: number;
  trainable?: boolean;
  /**
   * False: build the model without a pooler (the CLI's --no-pooler); a head that applies it is
   * then an error. Default: a pooler, new when the checkpoint has none (`report.poolerInitialised`),
   * unless the folder was saved without one.
   */
  pooler?: boolean;
}

export interface LoadedClassifier {
  config: BertConfig;
  tokenizer: Tokenizer;
  model: SequenceClassifier;
  /** The folder's tokenizer files, to write next to a saved model. */
  tokenizerFiles: Map<string, Uint8Array>;
  /** Weights that were not in the folder and were initialised here (a new head or classifier). */
  newlyInitialised: string[];
  report: WeightsReport;
}

/** Assigns checkpoint tensors to variables, checking shapes; returns the names it had no tensor for. */
function assignFrom(prefix: string, variables: Map<string, tf.Variable>, tensors: Map<string, HostTensor>, file: string, consumed: Set<string>): string[] {
  const missing: string[] = [];
  for (const [name, v] of variables) {
    const key = prefix + name;
    const t = tensors.get(key);
    if (!t) {
      missing.push(key);
      continue;
    }
    if (t.shape.join() !== v.shape.join()) {
      throw inputError(`expected shape [${v.shape}], found [${t.shape}]`, { file, field: key, fix: 'the head settings in config.json must match the weights' });
    }
    tf.tidy(() => v.assign(tf.tensor(t.data, t.shape, 'float32')));
    consumed.add(key);
  }
  return missing;
}

export interface BuildClassifierOptions {
  config: BertConfig;
  /** Encoder weights under canonical names (checked); the map is emptied once the encoder holds them. */
  encoderWeights: Map<string, HostTensor>;
  head: HeadSpec;
  labels: LabelSet;
  /** Initialises the head, then the classifier (in that order, so a seed always gives the same weights). */
  rng: SeededRng;
  trainable?: boolean;
  /** False: no pooler (`encoderWeights` then holds none). Default true. */
  pooler?: boolean;
}

/**
 * Builds a classifier on the current backend: the encoder registered for the config's
 * `model_type` (else BERT) over `encoderWeights`, a new head and a new classifier with Hugging
 * Face's init. `loadClassifier` then overwrites head and classifier with saved weights, if any;
 * benchmarks use it as it is, over `initBertParameters`.
 */
export function buildSequenceClassifier(o: BuildClassifierOptions): SequenceClassifier {
  const { config, rng, labels } = o;
  const encoder = createEncoder(config, o.encoderWeights, { trainable: o.trainable, pooler: o.pooler });
  o.encoderWeights.clear();
  let head: Head;
  try {
    head = createHead(o.head, config, rng);
    if (head.spec.usePooler && encoder.hasPooler === false) {
      head.dispose();
      throw inputError(`head "${head.spec.type}" applies the pooler, but the model was built without one (--no-pooler)`, {
        field: 'use_pooler', fix: `pass --pooler off for head "${head.spec.type}", or drop --no-pooler`,
      });
    }
  } catch (err) {
    encoder.dispose();
    throw err;
  }
  const H = config.hidden_size;
  const n = numLabels(labels);
  const classifier = {
    // Hugging Face's init for a new classifier: N(0, initializer_range), zero bias. Made inside
    // tidy so the initial tensors (whose data the variables share) do not outlive the model.
    weight: tf.tidy(() => tf.variable(tf.tensor2d(rng.fillNormal(new Float32Array(n * H), 0, config.initializer_range), [n, H]), o.trainable ?? true)),
    bias: tf.tidy(() => tf.variable(tf.zeros([n]), o.trainable ?? true)),
  };
  return new SequenceClassifier(encoder, head, labels, classifier);
}

/**
 * Loads a sequence classifier: a fine-tuned MaxPoolBERT folder as it was saved, or a plain
 * pre-trained BERT, RoBERTa or DistilBERT folder plus a head type (the head and classifier then start from random
 * weights, listed in `newlyInitialised`).
 */
export async function loadClassifier(source: ModelSource, opts: LoadClassifierOptions = {}): Promise<LoadedClassifier> {
  const configFile = source.pathOf('config.json');
  const config = await readBertConfig(source);
  const saved = config.extra.maxpoolbert_head !== undefined ? headSpecFromJson(config.extra.maxpoolbert_head, configFile) : null;
  const asked = opts.head ? (Object.fromEntries(Object.entries(opts.head).filter(([, v]) => v !== undefined)) as HeadSpec) : null;
  // The folder's head weights are reused when the head type is the same (k, heads and dropout do
  // not change the weights' shapes); settings given explicitly override the saved ones.
  const sameHead = !!saved && (!asked || heads.resolve(asked.type) === heads.resolve(saved.type));
  const spec = sameHead ? { ...saved, ...asked } : asked;
  if (!spec) {
    throw inputError('this folder has no maxpoolbert_head: it is not a fine-tuned MaxPoolBERT classifier', {
      file: configFile, fix: 'choose a head for a pre-trained BERT (e.g. --head max-seq-mha)',
    });
  }
  const savedLabels = labelsFromConfig(config.extra, configFile);
  const labels = opts.labels ?? savedLabels ?? defaultLabels(2);
  const sameLabels = !!savedLabels && numLabels(savedLabels) === numLabels(labels);

  const tokenizer = await loadTokenizer(source);
  checkPadId(config, tokenizer, configFile);
  const weights = await loadBertWeights(source, config, { pooler: opts.pooler, seed: opts.seed });
  const model = buildSequenceClassifier({
    config, encoderWeights: weights.encoder, head: spec, labels, rng: new SeededRng(opts.seed ?? 42), trainable: opts.trainable, pooler: weights.report.pooler,
  });
  const head = model.head;
  const classifier = new Map([...model.variables()].filter(([name]) => name.startsWith(CLASSIFIER_PREFIX)).map(([name, v]) => [name.slice(CLASSIFIER_PREFIX.length), v]));

  const consumed = new Set<string>();
  const newlyInitialised: string[] = [];
  const rest = weights.rest;
  if (sameHead) {
    const missing = assignFrom(HEAD_PREFIX, head.variables(), rest, weights.report.file, consumed);
    if (missing.length) {
      model.dispose();
      throw inputError(`missing head weights ${missing.join(', ')}`, { file: weights.report.file, fix: 'the folder was not saved by maxpoolbert, or is incomplete' });
    }
  } else {
    newlyInitialised.push(...[...head.variables().keys()].map((k) => HEAD_PREFIX + k));
  }
  if (sameHead && sameLabels) {
    const missing = assignFrom(CLASSIFIER_PREFIX, classifier, rest, weights.report.file, consumed);
    if (missing.length) {
      model.dispose();
      throw inputError(`missing classifier weights ${missing.join(', ')}`, { file: weights.report.file });
    }
  } else {
    newlyInitialised.push(`${CLASSIFIER_PREFIX}weight`, `${CLASSIFIER_PREFIX}bias`);
  }
  const unexpected = weights.report.unexpected.filter((k) => !consumed.has(k) && (sameHead || !k.startsWith(HEAD_PREFIX)) && (sameHead && sameLabels || !k.startsWith(CLASSIFIER_PREFIX)));

  const tokenizerFiles = new Map<string, Uint8Array>();
  for (const name of TOKENIZER_FILES) if (await source.has(name)) tokenizerFiles.set(name, await source.read(name));

  return { config, tokenizer, model, tokenizerFiles, newlyInitialised, report: { ...weights.report, unexpected } };
}
