/**
 * Fixtures for the fineTune tests: a tiny BERT built in memory (hidden 16, 2 layers) with a
 * word-level vocabulary, and a small synthetic sentiment task whose labels need the [CLS] vector
 * to find one sentiment word among neutral ones (at any position).
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {
  BertEncoder,
  BertTokenizer,
  clsVector,
  createHead,
  heads,
  DEFAULT_TRAIN_OPTIONS,
  ensureKernels,
  initBertParameters,
  parseBertConfig,
  registerHead,
  resolveHeadSpec,
  SeededRng,
  SequenceClassifier,
  type BertConfig,
  type Dataset,
  type Example,
  type HostTensor,
  type LabelSet,
  type TrainOptions,
} from '@maxpoolbert/core';
export { errorOf } from '../../../../testing/test-utils';

/**
 * Core's tests cannot import @maxpoolbert/heads (it depends on core), so they register their own
 * [CLS] head — which is also what a third-party head looks like.
 */
export const TEST_HEAD = 'test-cls';
if (!heads.has(TEST_HEAD)) {
  registerHead(TEST_HEAD, (spec, config) => ({
    spec: resolveHeadSpec(spec, config, { usePooler: true }),
    vector: (out) => clsVector(out.hiddenStates[out.hiddenStates.length - 1]),
    variables: () => new Map(),
    dispose: () => undefined,
  }));
}

// Silences tfjs's one-time "use the node backend" notice (a test run, not a deployment).
tf.env().set('IS_TEST', true);

/** The JS CPU backend with the kernels the backend providers add (fast embedding gradient). */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  ensureKernels('cpu');
}

export const POSITIVE = ['good', 'great', 'fine', 'nice', 'love', 'superb', 'happy', 'best'];
export const NEGATIVE = ['bad', 'awful', 'poor', 'hate', 'worst', 'sad', 'dull', 'ugly'];
export const NEUTRAL = ['the', 'a', 'movie', 'film', 'plot', 'actor', 'was', 'is', 'this', 'it', 'story', 'very', 'quite', 'and', 'of', 'scene'];
const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

export const tokenizer = BertTokenizer.fromVocabText([...SPECIAL, ...POSITIVE, ...NEGATIVE, ...NEUTRAL].join('\n') + '\n');

export const LABELS: LabelSet = { problemType: 'single_label_classification', names: ['negative', 'positive'] };

/** A deterministic generator independent of src (an LCG), uniform in [0, 1). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/**
 * `positives` positive and `negatives` negative sentences, shuffled: 2–6 neutral words with one
 * sentiment word inserted at a random place.
 */
export function sentimentDataset(positives: number, negatives: number, seed: number, file = 'synthetic.tsv'): Dataset {
  const rand = lcg(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const labels = [...Array<number>(positives).fill(1), ...Array<number>(negatives).fill(0)];
  for (let i = labels.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [labels[i], labels[j]] = [labels[j]!, labels[i]!];
  }
  const examples: Example[] = labels.map((label, i) => {
    const words = Array.from({ length: 2 + Math.floor(rand() * 5) }, () => pick(NEUTRAL));
    words.splice(Math.floor(rand() * (words.length + 1)), 0, pick(label ? POSITIVE : NEGATIVE));
    return { text: words.join(' '), label, line: i + 2 };
  });
  return { file, examples, labels: LABELS };
}

export function tinyConfig(overrides: Record<string, unknown> = {}): BertConfig {
  return parseBertConfig({
    model_type: 'bert',
    architectures: ['BertModel'],
    vocab_size: tokenizer.vocabSize,
    hidden_size: 16,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    intermediate_size: 32,
    max_position_embeddings: 16,
    type_vocab_size: 2,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    layer_norm_eps: 1e-12,
    pad_token_id: 0,
    initializer_range: 0.02,
    ...overrides,
  });
}

/**
 * A fresh classifier: the same seed gives the same initial weights. `dropout: 0` turns off every
 * dropout (encoder, attention and the head's), for runs that must not depend on the RNG.
 */
export function buildModel(opts: { seed?: number; dropout?: number; head?: string } = {}): SequenceClassifier {
  const p = opts.dropout;
  const config = tinyConfig(p === undefined ? {} : { hidden_dropout_prob: p, attention_probs_dropout_prob: p });
  const rng = new SeededRng(opts.seed ?? 7);
  const encoder = new BertEncoder(config, initBertParameters(config, opts.seed ?? 7));
  const head = createHead({ type: opts.head ?? TEST_HEAD, dropout: p }, config, rng);
  const H = config.hidden_size;
  const weight = tf.tidy(() => tf.variable(tf.tensor2d(rng.fillNormal(new Float32Array(2 * H), 0, 0.02), [2, H])));
  const bias = tf.tidy(() => tf.variable(tf.zeros([2])));
  return new SequenceClassifier(encoder, head, LABELS, { weight, bias });
}

export function trainOptions(overrides: Partial<TrainOptions> = {}): TrainOptions {
  return { ...DEFAULT_TRAIN_OPTIONS, epochs: 2, batchSize: 8, learningRate: 5e-3, maxLength: 16, seed: 11, evalBatchSize: 16, ...overrides };
}

/** The model's weights on the host, copied (safe to keep while training goes on). */
export async function snapshot(model: SequenceClassifier): Promise<Map<string, HostTensor>> {
  const out = new Map<string, HostTensor>();
  for (const [name, t] of await model.exportWeights()) out.set(name, { dtype: t.dtype, shape: t.shape.slice(), data: Float32Array.from(t.data) });
  return out;
}

/** The same, read synchronously (for use inside the synchronous onStep callback). */
export function snapshotSync(model: SequenceClassifier): Map<string, HostTensor> {
  const out = new Map<string, HostTensor>();
  for (const [name, v] of model.variables()) out.set(name, { dtype: 'float32', shape: v.shape.slice(), data: Float32Array.from(v.dataSync()) });
  return out;
}

/** Overwrites every variable of `model` with the named weights (all must be there). */
export function loadWeights(model: SequenceClassifier, weights: Map<string, HostTensor>): void {
  for (const [name, v] of model.variables()) {
    const t = weights.get(name);
    if (!t) throw new Error(`no weight ${name}`);
    tf.tidy(() => v.assign(tf.tensor(Float32Array.from(t.data), t.shape, 'float32')));
  }
}

/** Largest |a − b| over all weights (Infinity when names or sizes differ). */
export function maxWeightDiff(a: Map<string, HostTensor>, b: Map<string, HostTensor>): number {
  if (a.size !== b.size) return Infinity;
  let m = 0;
  for (const [name, t] of a) {
    const u = b.get(name);
    if (!u || u.data.length !== t.data.length) return Infinity;
    for (let i = 0; i < t.data.length; i++) {
      const d = Math.abs(Number(t.data[i]) - Number(u.data[i]));
      m = Math.max(m, Number.isNaN(d) ? Infinity : d);
    }
  }
  return m;
}

/** Whether two weight maps are bit-for-bit equal. */
export function sameWeights(a: Map<string, HostTensor>, b: Map<string, HostTensor>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, t] of a) {
    const u = b.get(name);
    if (!u || u.data.length !== t.data.length) return false;
    for (let i = 0; i < t.data.length; i++) if (!Object.is(t.data[i], u.data[i])) return false;
  }
  return true;
}

