import * as tf from '@tensorflow/tfjs-core';
import type { BertConfig } from '../config/bert-config.js';
import { inputError, MaxPoolBertError } from '../errors.js';
import type { ModelSource } from '../io/model-source.js';
import { BERT, encoderFamily } from '../families/index.js';
import { createEncoder } from '../registry/encoders.js';
import { loadTokenizer, type Tokenizer } from '../tokenizer/index.js';
import { legacyLayerNormName } from '../weights/hf-names.js';
import type { HostTensor } from '../weights/named-tensor.js';
import { TOKENIZER_FILES } from './load-classifier.js';
import { loadBertWeights, readBertConfig, type WeightsReport } from './load-bert.js';
import { MaskedLmHead } from './masked-lm-head.js';
import { maskedLmHeadWeights } from './masked-lm-head-weights.js';
import type { Batch, Encoder, ForwardOptions, VariableMap } from './types.js';
import { sparseSoftmaxCrossEntropy } from '../train/sparse-cross-entropy.js';

/** The encoder parameter the decoder is tied to. */
export const WORD_EMBEDDINGS = 'embeddings.word_embeddings.weight';
/** `BertForMaskedLM` has no pooler: the masked LM neither builds, trains nor saves one. */
const POOLER_PREFIX = 'pooler.';

/** The encoder's word-embedding variable, which the head's decoder shares. */
export function tiedWordEmbeddings(encoder: Encoder): tf.Variable {
  const v = encoder.variables().get(WORD_EMBEDDINGS);
  if (!v) throw new MaxPoolBertError(`this encoder has no ${WORD_EMBEDDINGS} variable for the masked-LM decoder to share`);
  return v;
}

/**
 * BERT with Hugging Face's masked-LM head (`BertForMaskedLM`): the encoder's last hidden state
 * → `MaskedLmHead` → vocabulary logits. The head runs only at the positions asked for: a
 * [B·T, V] decoder product would dwarf the encoder's own cost in pre-training.
 */
export class MaskedLanguageModel {
  constructor(
    readonly encoder: Encoder,
    readonly head: MaskedLmHead,
    readonly config: BertConfig,
  ) {}

  /** Logits [N, V] at flat positions (row * T + t) of the batch (int32 [N]). */
  logitsAt(batch: Batch, positions: tf.Tensor1D, opts: ForwardOptions): tf.Tensor2D {
    return tf.tidy(() => this.head.logits(this.hiddenAt(batch, positions, opts)));
  }

  /** The encoder's last hidden state [N, H] at flat positions (row * T + t). */
  hiddenAt(batch: Batch, positions: tf.Tensor1D, opts: ForwardOptions): tf.Tensor2D {
    return tf.tidy(() => {
      const { hiddenStates } = this.encoder.forward(batch, opts);
      const last = hiddenStates[hiddenStates.length - 1];
      const [B, T, H] = last.shape;
      return tf.gather(tf.reshape(last, [B * T, H]), tf.cast(positions, 'int32')) as tf.Tensor2D;
    });
  }

  /**
   * Every trainable variable: the encoder's (canonical names, no pooler: the masked LM does not
   * use it) + `cls.predictions.*`. The tied decoder is `embeddings.word_embeddings.weight`.
   */
  variables(): VariableMap {
    const all: VariableMap = new Map();
    for (const [name, v] of this.encoder.variables()) if (!name.startsWith(POOLER_PREFIX)) all.set(name, v);
    for (const [name, v] of this.head.variables()) all.set(name, v);
    return all;
  }

  /** Current weights on the host, under the names of `variables()`. */
  async exportWeights(): Promise<Map<string, HostTensor>> {
    const out = new Map<string, HostTensor>();
    for (const [name, v] of this.variables()) out.set(name, { dtype: 'float32', shape: v.shape.slice(), data: (await v.data()) as Float32Array });
    return out;
  }

  dispose(): void {
    this.head.dispose();
    this.encoder.dispose();
  }
}

/** Mean cross-entropy over the chosen positions (labels int32 [N], the true token ids there). */
export function maskedLmLoss(model: MaskedLanguageModel, batch: Batch, positions: tf.Tensor1D, labels: tf.Tensor1D, opts: ForwardOptions): tf.Scalar {
  const N = positions.shape[0];
  if (N === 0) throw new MaxPoolBertError('maskedLmLoss: no positions to predict (the batch needs at least one masked token)');
  if (labels.shape[0] !== N) throw new MaxPoolBertError(`maskedLmLoss: ${N} positions but ${labels.shape[0]} labels`);
  return tf.tidy(() => {
    // Closed-form gradient: tfjs's autodiff of logSumExp over a vocabulary-wide row is slow.
    return sparseSoftmaxCrossEntropy(model.logitsAt(batch, positions, opts), labels);
  });
}

/**
 * Builds a masked LM on the current backend from host weights (e.g. `initBertParameters` and
 * `initMaskedLmHead` for a new model): the encoder registered for the config's `model_type`,
 * without a pooler (a pooler in `encoderWeights` is left unused), and a head whose decoder is that
 * encoder's word embeddings. `encoderWeights` is emptied once the encoder holds them.
 */
export function buildMaskedLm(
  config: BertConfig,
  encoderWeights: Map<string, HostTensor>,
  headWeights: Map<string, HostTensor>,
  opts: { trainable?: boolean } = {},
): MaskedLanguageModel {
  const encoder = createEncoder(config, encoderWeights, { trainable: opts.trainable, pooler: false });
  encoderWeights.clear();
  try {
    return new MaskedLanguageModel(encoder, new MaskedLmHead(config, headWeights, tiedWordEmbeddings(encoder), opts), config);
  } catch (err) {
    encoder.dispose();
    throw err;
  }
}

export interface LoadedMaskedLm {
  config: BertConfig;
  tokenizer: Tokenizer;
  model: MaskedLanguageModel;
  /** What the checkpoint held; `initialised` lists a new head's parameters. */
  report: WeightsReport;
  /** True when the folder had no `cls.predictions.*` head and a new one was initialised. */
  headInitialised: boolean;
  /** The folder's tokenizer files, to write next to a saved model (`maskedLmFolderFiles`). */
  tokenizerFiles: Map<string, Uint8Array>;
  /** Warnings for the user, e.g. a stored decoder weight that differs from the embeddings. */
  notes: string[];
}

/**
 * Loads a Hugging Face `BertForMaskedLM` / `BertForPreTraining` folder (or a plain `BertModel`
 * one, whose head then starts from HF's init, seeded). `cls.seq_relationship.*` (next-sentence
 * prediction) and any pooler are set aside (listed in `report.ignored`): the masked LM uses neither.
 */
export async function loadMaskedLm(source: ModelSource, opts: { trainable?: boolean; seed?: number } = {}): Promise<LoadedMaskedLm> {
  const config = await readBertConfig(source);
  const tokenizer = await loadTokenizer(source);
  if (tokenizer.vocabSize > config.vocab_size) {
    throw inputError(`the tokenizer has ${tokenizer.vocabSize} tokens but vocab_size is ${config.vocab_size}`, {
      file: source.pathOf('config.json'), field: 'vocab_size', fix: 'use the vocab.txt the model was trained with',
    });
  }
  if (encoderFamily(config) !== BERT) {
    throw inputError(`the masked-LM head is BERT's (cls.predictions.*); model_type ${JSON.stringify(config.extra.model_type)} has its own, which is not supported`, {
      file: source.pathOf('config.json'), field: 'model_type', fix: 'use a BERT masked-LM folder (model_type "bert")',
    });
  }
  // No pooler: BertForMaskedLM has none, and a BertForPreTraining checkpoint's is set aside.
  const weights = await loadBertWeights(source, config, { pooler: false });
  const head = maskedLmHeadWeights(weights.rest, config, weights.encoder.get(WORD_EMBEDDINGS)!, { file: weights.report.file, seed: opts.seed ?? 42 });
  const model = buildMaskedLm(config, weights.encoder, head.weights, { trainable: opts.trainable });

  const used = new Set(head.used);
  const report: WeightsReport = {
    ...weights.report,
    initialised: [...weights.report.initialised, ...(head.initialised ? [...head.weights.keys()] : [])],
    ignored: weights.report.ignored.filter((key) => !used.has(legacyLayerNormName(key))),
  };
  const tokenizerFiles = new Map<string, Uint8Array>();
  for (const name of TOKENIZER_FILES) if (await source.has(name)) tokenizerFiles.set(name, await source.read(name));
  return { config, tokenizer, model, report, headInitialised: head.initialised, tokenizerFiles, notes: head.notes };
}
