import * as tf from '@tensorflow/tfjs-core';
import { MaxPoolBertError } from '../errors.js';
import { disposeBatch, toBatch } from '../model/batch.js';
import { trainedMaxLength } from '../model/classifier-folder.js';
import type { MaskedLanguageModel } from '../model/masked-lm.js';
import type { Tokenizer } from '../tokenizer/index.js';
import type { ClassifyInput } from './classify.js';

/** One candidate for a masked token. */
export interface MaskPrediction {
  token_id: number;
  /** The vocabulary entry (e.g. `##ing`), as in vocab.txt. */
  token: string;
  /** Softmax probability over the whole vocabulary. */
  score: number;
}

/** The candidates at one `[MASK]`, most probable first. */
export interface MaskFill {
  /** Index into the input ids: [CLS] is 0, counting on through a pair's second segment. */
  position: number;
  predictions: MaskPrediction[];
}

/** One input's result: an entry per `[MASK]` left after truncation, in order (none: `[]`). */
export interface FillMaskResult {
  masks: MaskFill[];
}

export interface FillMaskOptions {
  /** Candidates per mask (default 5, at most the vocabulary size). */
  topK?: number;
  /** Truncate every input to this many tokens. Default: the length the model was trained with, else its `max_position_embeddings`. */
  maxLength?: number;
  /** Inputs per forward pass (default 32). */
  batchSize?: number;
}

const DEFAULT_TOP_K = 5;
const DEFAULT_BATCH_SIZE = 32;

function positiveInt(name: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 1)) throw new MaxPoolBertError(`fillMask: ${name} must be an integer >= 1, got ${value}`);
  return value;
}

/** One forward pass over a batch; the head runs only at the batch's mask positions. */
async function fillBatch(model: MaskedLanguageModel, tokenizer: Tokenizer, inputs: readonly ClassifyInput[], maskId: number, maxLength: number, topK: number): Promise<FillMaskResult[]> {
  const encodings = inputs.map((r) => tokenizer.encode(r.text, r.textPair, { maxLength: Math.min(r.maxLength ?? maxLength, maxLength) }));
  const T = Math.max(...encodings.map((e) => e.inputIds.length));
  const where: { row: number; position: number }[] = [];
  encodings.forEach((e, row) => e.inputIds.forEach((id, position) => id === maskId && where.push({ row, position })));
  const results: FillMaskResult[] = inputs.map(() => ({ masks: [] }));
  if (where.length === 0) return results;

  const batch = toBatch(encodings, tokenizer.padId);
  const positions = tf.tensor1d(where.map((w) => w.row * T + w.position), 'int32');
  const top = tf.tidy(() => tf.topk(tf.softmax(model.logitsAt(batch, positions, { training: false })), topK));
  try {
    const [scores, ids] = (await Promise.all([top.values.array(), top.indices.array()])) as [number[][], number[][]];
    where.forEach((w, i) => {
      results[w.row].masks.push({
        position: w.position,
        predictions: ids[i].map((id, j) => ({ token_id: id, token: tokenizer.idToToken(id) ?? tokenizer.unkToken, score: scores[i][j] })),
      });
    });
    return results;
  } finally {
    tf.dispose([top.values, top.indices, positions]);
    disposeBatch(batch);
  }
}

/**
 * Hugging Face's fill-mask: the `topK` most probable tokens at every `[MASK]` of each input (a
 * literal `[MASK]` in the text is the mask token, see the tokenizer), batched `batchSize` inputs
 * at a time. Every tensor is freed before it returns.
 */
export async function fillMask(
  model: MaskedLanguageModel,
  tokenizer: Tokenizer,
  inputs: readonly ClassifyInput[],
  opts: FillMaskOptions = {},
): Promise<FillMaskResult[]> {
  const maskId = tokenizer.maskId;
  if (maskId === undefined) throw new MaxPoolBertError('fillMask: the tokenizer has no mask token (set mask_token in tokenizer_config.json)');
  const config = model.config;
  const topK = Math.min(positiveInt('topK', opts.topK ?? DEFAULT_TOP_K), config.vocab_size);
  const batchSize = positiveInt('batchSize', opts.batchSize ?? DEFAULT_BATCH_SIZE);
  const maxLength = opts.maxLength ?? trainedMaxLength(config) ?? config.max_position_embeddings;
  if (!(Number.isInteger(maxLength) && maxLength >= 2)) throw new MaxPoolBertError(`fillMask: maxLength must be an integer >= 2 ([CLS] and [SEP]), got ${maxLength}`);
  inputs.forEach((input, i) => {
    if (typeof input?.text !== 'string') throw new MaxPoolBertError(`fillMask: input ${i} has no text (pass { text, textPair? })`);
  });
  const out: FillMaskResult[] = [];
  for (let start = 0; start < inputs.length; start += batchSize) {
    out.push(...(await fillBatch(model, tokenizer, inputs.slice(start, start + batchSize), maskId, maxLength, topK)));
  }
  return out;
}
