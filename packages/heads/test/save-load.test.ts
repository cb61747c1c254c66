// A classifier made from a plain BERT folder, fine-tuned a little, saved with
// classifierFolderFiles and loaded back: identical logits, labels and head; the documented
// config.json and safetensors layout; switching heads on load; and the no-head error.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {
  bertParameterShapes, classifierFolderFiles, concatChunks, disposeBatch, initBertParameters, loadClassifier, MemoryModelSource, modelFolderFiles,
  readSafetensorsHeader, SeededRng, toBatch, type Batch, type LabelSet, type LoadedClassifier, type SequenceClassifier,
} from '@maxpoolbert/core';
import '@maxpoolbert/heads';
import { crossEntropy, errorOf, tinyConfig, useCpu } from './helpers';

const config = tinyConfig();
const H = config.hidden_size;
const WORDS = Array.from({ length: 45 }, (_, i) => `w${i}`);
const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...WORDS].join('\n');
const TEXTS = ['w1 w2 w3 w4 w5', 'w7', 'w10 w11 w12 w13 w14 w15 w16 w17 w18', 'w30 w31', 'w44 w43 w42'];
const LABELS: LabelSet = { problemType: 'single_label_classification', names: ['neg', 'pos'] };
const MHA_KEYS = ['head.attention.in_proj_weight', 'head.attention.in_proj_bias', 'head.attention.out_proj.weight', 'head.attention.out_proj.bias'];
const CLASSIFIER_KEYS = ['classifier.weight', 'classifier.bias'];

function source(files: Map<string, Uint8Array[]>, location: string): MemoryModelSource {
  return new MemoryModelSource(new Map([...files].map(([name, chunks]) => [name, concatChunks(chunks)])), location);
}

/** A pre-trained-BERT-style folder: config.json (no head), model.safetensors, vocab.txt, tokenizer_config.json. */
const plain = () => source(
  modelFolderFiles({ config, tensors: initBertParameters(config, 5), vocabText: VOCAB, tokenizerConfig: { do_lower_case: true, model_max_length: 32 } }),
  '/models/plain',
);

async function logitsOf(model: SequenceClassifier, batch: Batch): Promise<number[][]> {
  const t = model.logits(batch, { training: false });
  const v = (await t.array()) as number[][];
  t.dispose();
  return v;
}

async function valuesOf(model: SequenceClassifier, name: string): Promise<number[]> {
  const v = model.variables().get(name);
  if (!v) throw new Error(`no variable ${name}`);
  return Array.from(await v.data());
}

/** Two Adam steps with dropout, so every trained weight differs from its initial value. */
function fineTune(model: SequenceClassifier, batch: Batch): void {
  const optimizer = tf.train.adam(1e-2);
  const rng = new SeededRng(8);
  const vars = [...model.variables().values()];
  for (let i = 0; i < 2; i++) optimizer.minimize(() => crossEntropy(model.logits(batch, { training: true, rng }), [0, 1, 1, 0, 1]), false, vars);
  optimizer.dispose();
}

let baseline: number;
beforeAll(async () => {
  await useCpu();
  baseline = tf.memory().numTensors;
});
afterAll(() => {
  // Every model below is disposed; loading must not have left anything else behind.
  expect(tf.memory().numTensors).toBe(baseline);
});

describe.each([
  ['max-seq-mha', MHA_KEYS, { type: 'max-seq-mha', layers: 3, num_heads: 4, use_pooler: true, dropout: 0.1 }],
  ['cls', [] as string[], { type: 'cls', layers: 1, num_heads: 4, use_pooler: true, dropout: 0.1 }],
])('%s', (type, headKeys, savedHead) => {
  let loaded: LoadedClassifier;
  let batch: Batch;
  let tuned: MemoryModelSource;

  beforeAll(async () => {
    loaded = await loadClassifier(plain(), { head: { type }, labels: LABELS, seed: 7 });
    batch = toBatch(loaded.tokenizer.encodeBatch(TEXTS), loaded.tokenizer.padId);
  });
  afterAll(() => {
    disposeBatch(batch);
    loaded.model.dispose();
  });

  it('a plain BERT folder plus a head: the head and classifier are newly initialised', async () => {
    expect([...loaded.newlyInitialised].sort()).toEqual([...headKeys, ...CLASSIFIER_KEYS].sort());
    expect(loaded.report.unexpected).toEqual([]);
    expect(loaded.model.head.spec.type).toBe(type);
    expect(loaded.model.labels).toEqual(LABELS);
    expect(loaded.model.variables().get('classifier.weight')!.shape).toEqual([2, H]);
    // Rows really have different lengths: padding is part of what is compared below.
    expect(new Set((await batch.attentionMask.array()).map((r) => r.reduce((a, b) => a + b, 0))).size).toBeGreaterThan(2);
  });

  it('fine-tuned, saved and loaded back: identical logits, labels and head', async () => {
    const model = loaded.model;
    const watched = ['classifier.weight', 'bert.pooler.dense.weight', 'bert.encoder.layer.2.output.dense.weight', ...headKeys];
    const initial = await Promise.all(watched.map((n) => valuesOf(model, n)));
    fineTune(model, batch);
    const trained = await Promise.all(watched.map((n) => valuesOf(model, n)));
    watched.forEach((name, i) => expect([name, trained[i]]).not.toEqual([name, initial[i]]));

    tuned = source(await classifierFolderFiles(model, loaded.config, loaded.tokenizerFiles), '/models/tuned');
    const back = await loadClassifier(tuned);
    try {
      expect(back.newlyInitialised).toEqual([]);
      expect(back.report.unexpected).toEqual([]);
      expect(back.model.head.spec).toEqual(model.head.spec);
      expect(back.model.labels).toEqual(LABELS);
      expect(await logitsOf(back.model, batch)).toEqual(await logitsOf(model, batch));
      for (const [name, v] of model.variables()) expect([name, Array.from(await back.model.variables().get(name)!.data())]).toEqual([name, Array.from(await v.data())]);
      expect(back.tokenizer.encodeBatch(TEXTS)).toEqual(loaded.tokenizer.encodeBatch(TEXTS));
    } finally {
      back.model.dispose();
    }
  });

  it('config.json: architectures, labels, problem_type and maxpoolbert_head', async () => {
    const json = JSON.parse(await tuned.readText('config.json')) as Record<string, unknown>;
    expect(json.architectures).toEqual(['MaxPoolBertForSequenceClassification']);
    expect(json.maxpoolbert_head).toEqual(savedHead);
    expect(json.num_labels).toBe(2);
    expect(json.id2label).toEqual({ 0: 'neg', 1: 'pos' });
    expect(json.label2id).toEqual({ neg: 0, pos: 1 });
    expect(json.problem_type).toBe('single_label_classification');
    for (const key of ['vocab_size', 'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'intermediate_size', 'max_position_embeddings'] as const) {
      expect([key, json[key]]).toEqual([key, config[key]]);
    }
    expect(await tuned.read('vocab.txt')).toEqual(new TextEncoder().encode(VOCAB + '\n'));
    expect(await tuned.has('tokenizer_config.json')).toBe(true);
  });

  it('model.safetensors: exactly bert.* (Hugging Face names, pooler included), head.*, classifier.*', async () => {
    const header = await readSafetensorsHeader(tuned, 'model.safetensors');
    const got = Object.fromEntries(header.entries.map((e) => [e.name, e.shape]));
    const expected: Record<string, number[]> = {};
    for (const [name, shape] of bertParameterShapes(config)) expected[`bert.${name}`] = shape;
    if (headKeys.length) {
      Object.assign(expected, {
        'head.attention.in_proj_weight': [3 * H, H],
        'head.attention.in_proj_bias': [3 * H],
        'head.attention.out_proj.weight': [H, H],
        'head.attention.out_proj.bias': [H],
      });
    }
    Object.assign(expected, { 'classifier.weight': [2, H], 'classifier.bias': [2] });
    expect(got).toEqual(expected);
    expect(Object.keys(got)).toContain('bert.pooler.dense.weight');
    expect(Object.keys(got)).toContain('bert.embeddings.LayerNorm.weight');
    expect(header.entries.every((e) => e.dtype === 'F32')).toBe(true);
    expect(header.metadata).toEqual({ format: 'pt' });
  });

  it('loading it with another head type keeps the fine-tuned encoder and starts a new head and classifier', async () => {
    const other = type === 'cls' ? 'max-seq-mha' : 'mha';
    const switched = await loadClassifier(tuned, { head: { type: other } });
    try {
      expect([...switched.newlyInitialised].sort()).toEqual([...MHA_KEYS, ...CLASSIFIER_KEYS].sort());
      expect(switched.report.unexpected).toEqual([]); // the old head.* / classifier.* are not "unexpected"
      expect(switched.model.head.spec.type).toBe(other);
      expect(switched.model.labels).toEqual(LABELS);
      const name = 'bert.encoder.layer.2.output.dense.weight';
      expect(await valuesOf(switched.model, name)).toEqual(await valuesOf(loaded.model, name));
      if (headKeys.length) {
        // Same names and shapes as the saved head, but not its weights: the head is new.
        expect(await valuesOf(switched.model, 'head.attention.in_proj_weight')).not.toEqual(await valuesOf(loaded.model, 'head.attention.in_proj_weight'));
      }
    } finally {
      switched.model.dispose();
    }
  });

  if (type === 'max-seq-mha') {
    it('the same head (or its alias) with other settings reuses the saved weights', async () => {
      for (const head of [{ type: 'max-seq-mha', layers: 2 }, { type: 'maxpoolbert' }]) {
        const again = await loadClassifier(tuned, { head });
        try {
          expect(again.newlyInitialised).toEqual([]);
          expect(again.model.head.spec).toEqual({ type: 'max-seq-mha', layers: head.layers ?? 3, numHeads: 4, usePooler: true, dropout: 0.1 });
          for (const key of [...MHA_KEYS, ...CLASSIFIER_KEYS]) expect([key, await valuesOf(again.model, key)]).toEqual([key, await valuesOf(loaded.model, key)]);
        } finally {
          again.model.dispose();
        }
      }
    });
  }
});

it('a folder without maxpoolbert_head, and no head given, is an error naming its config.json', async () => {
  const err = await errorOf(() => loadClassifier(plain()));
  expect(err.message).toContain('/models/plain/config.json');
  expect(err.message).toContain('maxpoolbert_head');
  expect(tf.memory().numTensors).toBe(baseline);
});

it('loading and disposing a classifier leaves no tensors behind', async () => {
  for (const type of ['cls', 'max-seq-mha']) {
    const before = tf.memory();
    const loaded = await loadClassifier(plain(), { head: { type }, labels: LABELS });
    loaded.model.dispose();
    expect([type, tf.memory().numTensors]).toEqual([type, before.numTensors]);
    expect([type, tf.memory().numBytes]).toEqual([type, before.numBytes]);
  }
});
