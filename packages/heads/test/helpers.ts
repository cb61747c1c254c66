/**
 * Shared fixtures for the heads tests: a tiny random BERT built in memory, padded batches, and
 * plain-JS (float64) reference maths that never calls the code under test.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  BertEncoder,
  ensureKernels,
  initBertParameters,
  parseBertConfig,
  type Batch,
  type BertConfig,
} from '@maxpoolbert/core';
export { maxAbsDiff, errorOf } from '../../../testing/test-utils';

// Silences tfjs's one-time "use the node backend" notice (a test run, not a deployment).
tf.env().set('IS_TEST', true);

/**
 * The JS CPU backend with the kernels our backend providers add to it (the fast embedding
 * gradient, UnsortedSegmentSum), as backend-node's js-cpu provider sets it up.
 */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  ensureKernels('cpu');
}

/** vocab 50, hidden 16, 3 layers, 4 attention heads, intermediate 32, 32 positions. */
export function tinyConfig(overrides: Record<string, unknown> = {}): BertConfig {
  return parseBertConfig({
    model_type: 'bert',
    architectures: ['BertModel'],
    vocab_size: 50,
    hidden_size: 16,
    num_hidden_layers: 3,
    num_attention_heads: 4,
    intermediate_size: 32,
    max_position_embeddings: 32,
    type_vocab_size: 2,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    layer_norm_eps: 1e-12,
    pad_token_id: 0,
    // Larger than BERT's 0.02 so attention is far from uniform and layers differ visibly: a
    // head that looked at the wrong layer or token would be off by much more than the tolerance.
    initializer_range: 0.2,
    ...overrides,
  });
}

export function tinyEncoder(config: BertConfig = tinyConfig(), seed = 1234): BertEncoder {
  return new BertEncoder(config, initBertParameters(config, seed));
}

/**
 * A batch of rows of token ids, each padded to `length` (default: the longest row). Padding
 * positions get `padIds` (default the pad id 0; any id works since the mask is 0 there),
 * token type 0 and mask 0. Rows may carry token types.
 */
export function makeBatch(
  rows: number[][],
  opts: { length?: number; padIds?: (row: number, pos: number) => number; types?: number[][] } = {},
): Batch {
  const B = rows.length;
  const T = opts.length ?? Math.max(...rows.map((r) => r.length));
  const ids = new Int32Array(B * T);
  const types = new Int32Array(B * T);
  const mask = new Int32Array(B * T);
  rows.forEach((row, b) => {
    if (row.length > T) throw new Error('row longer than the batch');
    for (let t = 0; t < T; t++) {
      const real = t < row.length;
      ids[b * T + t] = real ? row[t]! : (opts.padIds?.(b, t) ?? 0);
      types[b * T + t] = real ? (opts.types?.[b]?.[t] ?? 0) : 0;
      mask[b * T + t] = real ? 1 : 0;
    }
  });
  return {
    inputIds: tf.tensor2d(ids, [B, T], 'int32'),
    tokenTypeIds: tf.tensor2d(types, [B, T], 'int32'),
    attentionMask: tf.tensor2d(mask, [B, T], 'int32'),
  };
}

export { disposeBatch } from '@maxpoolbert/core';

/** Rows of different lengths, each starting with [CLS]=2 and ending with [SEP]=3. */
export const ROWS: number[][] = [
  [2, 11, 27, 5, 40, 3],
  [2, 7, 3],
  [2, 33, 18, 45, 9, 21, 12, 3],
  [2, 3],
];

/** A deterministic generator independent of src (an LCG), uniform in [0, 1). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

// ---------------------------------------------------------------- plain-JS reference maths

export type Vec = number[];
export type Mat = number[][];

/** W x + b with W stored [out, in] (PyTorch's Linear). */
export function linear(W: Mat, b: Vec, x: Vec): Vec {
  return W.map((row, i) => row.reduce((s, w, j) => s + w * x[j]!, 0) + b[i]!);
}

export function softmax(x: Vec): Vec {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const s = e.reduce((a, v) => a + v, 0);
  return e.map((v) => v / s);
}

export function elementwiseMaxJs(vs: Vec[]): Vec {
  return vs[0]!.map((_, i) => Math.max(...vs.map((v) => v[i]!)));
}

export interface MhaWeights {
  inProjWeight: Mat; // [3H, H], rows q, k, v
  inProjBias: Vec; // [3H]
  outProjWeight: Mat; // [H, H]
  outProjBias: Vec; // [H]
}

/**
 * PyTorch nn.MultiheadAttention forward for one query vector over keys = values `kv` (only the
 * positions where `real` is true take part, as key_padding_mask does), need_weights aside.
 */
export function mhaJs(w: MhaWeights, numHeads: number, query: Vec, kv: Vec[], real: boolean[]): Vec {
  const H = query.length;
  const dh = H / numHeads;
  const rows = (from: number) => w.inProjWeight.slice(from, from + H);
  const bias = (from: number) => w.inProjBias.slice(from, from + H);
  const q = linear(rows(0), bias(0), query);
  const keys = kv.map((x, t) => (real[t] ? linear(rows(H), bias(H), x) : null));
  const values = kv.map((x, t) => (real[t] ? linear(rows(2 * H), bias(2 * H), x) : null));
  const context: Vec = new Array(H).fill(0);
  for (let h = 0; h < numHeads; h++) {
    const lo = h * dh;
    const idx: number[] = [];
    const scores: number[] = [];
    keys.forEach((k, t) => {
      if (!k) return;
      let s = 0;
      for (let d = lo; d < lo + dh; d++) s += q[d]! * k[d]!;
      idx.push(t);
      scores.push(s / Math.sqrt(dh));
    });
    const p = softmax(scores);
    idx.forEach((t, i) => {
      for (let d = lo; d < lo + dh; d++) context[d]! += p[i]! * values[t]![d]!;
    });
  }
  return linear(w.outProjWeight, w.outProjBias, context);
}

export async function mhaWeightsOf(vars: Map<string, tf.Variable>): Promise<MhaWeights> {
  const get = (name: string) => {
    const v = vars.get(name);
    if (!v) throw new Error(`head has no variable ${name}; it has ${[...vars.keys()].join(', ')}`);
    return v;
  };
  return {
    inProjWeight: (await get('attention.in_proj_weight').array()) as Mat,
    inProjBias: (await get('attention.in_proj_bias').array()) as Vec,
    outProjWeight: (await get('attention.out_proj.weight').array()) as Mat,
    outProjBias: (await get('attention.out_proj.bias').array()) as Vec,
  };
}

/** Softmax cross-entropy, mean over the batch: the loss the gradient and training tests use. */
export function crossEntropy(logits: tf.Tensor2D, labels: number[]): tf.Scalar {
  return tf.tidy(() => {
    const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), logits.shape[1]);
    return tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  });
}
