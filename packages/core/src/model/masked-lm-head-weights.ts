import type { BertConfig } from '../config/bert-config.js';
import { inputError } from '../errors.js';
import { formatShape, sameShape, type HostTensor } from '../weights/named-tensor.js';
import { initMaskedLmHead, maskedLmHeadShapes, MLM_BIAS } from './masked-lm-head.js';

/** Keys of a stored decoder: HF saves neither when tied, but older checkpoints hold both. */
export const MLM_DECODER_WEIGHT = 'cls.predictions.decoder.weight';
export const MLM_DECODER_BIAS = 'cls.predictions.decoder.bias';

export interface MaskedLmHeadWeights {
  /** Every name of `maskedLmHeadShapes`, with its tensor. */
  weights: Map<string, HostTensor>;
  /** True when the checkpoint had no head and it was initialised here. */
  initialised: boolean;
  /** Checkpoint names (canonical) the head used, so they are not reported as ignored. */
  used: string[];
  /** Things a user should know (e.g. a stored decoder that differs from the embeddings). */
  notes: string[];
}

function bitEqual(a: HostTensor, b: HostTensor): boolean {
  if (!sameShape(a.shape, b.shape)) return false;
  const x = new Uint32Array(a.data.buffer, a.data.byteOffset, a.data.length);
  const y = new Uint32Array(b.data.buffer, b.data.byteOffset, b.data.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * The masked-LM head's weights from a checkpoint's `cls.predictions.*` tensors (`rest` of
 * `loadBertWeights`, TF-era gamma/beta already renamed), or a new head (`initMaskedLmHead`) when
 * the checkpoint has none of them. A partial head is an error rather than silently half random.
 *
 * The decoder is always tied to the word embeddings, as Hugging Face ties it on load: a stored
 * `cls.predictions.decoder.weight` equal to them is just the tied copy; one that differs is not
 * used (the embeddings win, as in HF) and a note says so. `cls.predictions.decoder.bias` stands
 * in for `cls.predictions.bias` when only it is stored (HF makes them one parameter).
 */
export function maskedLmHeadWeights(
  rest: Map<string, HostTensor>,
  config: BertConfig,
  wordEmbeddings: HostTensor,
  opts: { file: string; seed: number },
): MaskedLmHeadWeights {
  const { file } = opts;
  if (config.extra.tie_word_embeddings === false) {
    throw inputError('tie_word_embeddings false (a decoder separate from the word embeddings) is not supported for masked-LM models', {
      file, field: 'tie_word_embeddings', fix: 'remove it from config.json to tie the decoder to the word embeddings, as BERT does',
    });
  }
  const shapes = maskedLmHeadShapes(config);
  const found = new Map<string, HostTensor>();
  const used: string[] = [];
  const take = (name: string, key = name) => {
    const t = rest.get(key);
    if (!t) return;
    found.set(name, t);
    used.push(key);
  };
  for (const name of shapes.keys()) take(name);
  if (!found.has(MLM_BIAS)) take(MLM_BIAS, MLM_DECODER_BIAS);
  else if (rest.has(MLM_DECODER_BIAS)) used.push(MLM_DECODER_BIAS);

  const notes: string[] = [];
  const decoder = rest.get(MLM_DECODER_WEIGHT);
  if (decoder) {
    used.push(MLM_DECODER_WEIGHT);
    if (!bitEqual(decoder, wordEmbeddings)) {
      notes.push(`${MLM_DECODER_WEIGHT} ${formatShape(decoder.shape)} differs from the word embeddings and is not used: the decoder is tied to embeddings.word_embeddings.weight, as Hugging Face ties it on load`);
    }
  }

  if (found.size === 0) return { weights: initMaskedLmHead(config, opts.seed), initialised: true, used, notes };
  const missing = [...shapes.keys()].filter((n) => !found.has(n));
  if (missing.length) {
    throw inputError(`the checkpoint's masked-LM head is incomplete: missing ${missing.join(', ')}`, {
      file, field: missing.length === 1 ? missing[0] : undefined, fix: 'save the whole BertForMaskedLM head, or remove every cls.predictions.* tensor to start a new one',
    });
  }
  for (const [name, shape] of shapes) {
    const t = found.get(name)!;
    if (!sameShape(t.shape, shape)) {
      throw inputError(`shape mismatch: expected ${formatShape(shape)}, found ${formatShape(t.shape)}`, {
        file, field: name, fix: 'config.json does not match the checkpoint (hidden_size, vocab_size...)',
      });
    }
  }
  return { weights: found, initialised: false, used, notes };
}
