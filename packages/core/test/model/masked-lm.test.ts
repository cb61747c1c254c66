// The masked-LM head (BertForMaskedLM) on tiny-bert-mlm against the independent reference's
// goldens, its gradients (the tied decoder included), the checkpoint variants it loads, and the
// BertForMaskedLM folder it saves.
import '@tensorflow/tfjs-backend-cpu';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { TINY_BERT_MLM_DIR } from '../../../../testing/shared-fixtures';
import { readMlmGoldens, type MlmGoldens } from '../../../../testing/backend-spec/mlm-cases';
import { maxAbsDiff } from '../../../../testing/test-utils';
import { MemoryModelSource } from '../../src/io/model-source.js';
import { disposeBatch, toBatch } from '../../src/model/batch.js';
import { initBertParameters } from '../../src/model/bert-parameters.js';
import { readBertConfig } from '../../src/model/load-bert.js';
import { SeededRng } from '../../src/random/seeded-rng.js';
import { initMaskedLmHead, MaskedLmHead, MLM_BIAS, MLM_NORM_BIAS, MLM_NORM_WEIGHT, MLM_TRANSFORM_BIAS, MLM_TRANSFORM_WEIGHT } from '../../src/model/masked-lm-head.js';
import { maskedLmFolderFiles } from '../../src/model/masked-lm-folder.js';
import { buildMaskedLm, loadMaskedLm, MaskedLanguageModel, maskedLmLoss, WORD_EMBEDDINGS, type LoadedMaskedLm } from '../../src/model/masked-lm.js';
import { concatChunks, encodeSafetensors, loadCheckpoint, readSafetensorsHeader, type HostTensor } from '../../src/weights/index.js';
import { bitEqual, errorOf } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function mlmFiles(): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const name of fs.readdirSync(TINY_BERT_MLM_DIR)) {
    if (name === 'goldens.json' || name === 'README.md') continue;
    const b = fs.readFileSync(path.join(TINY_BERT_MLM_DIR, name));
    files.set(name, new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  }
  return files;
}

const baseFiles = mlmFiles();
const source = (files = baseFiles) => new MemoryModelSource(files, '/models/tiny-mlm');
let goldens: MlmGoldens;
let tensors: Map<string, HostTensor>;

beforeAll(async () => {
  goldens = await readMlmGoldens(new MemoryModelSource(new Map([['goldens.json', fs.readFileSync(path.join(TINY_BERT_MLM_DIR, 'goldens.json'))]]), TINY_BERT_MLM_DIR));
  tensors = (await loadCheckpoint(source())).tensors;
});

/** The fixture folder with its checkpoint rewritten by `change` (names as stored: `bert.*`, `cls.*`). */
function withCheckpoint(change: (t: Map<string, HostTensor>) => void, config?: Record<string, unknown>) {
  const t = new Map(tensors);
  change(t);
  const files = new Map(baseFiles);
  files.set('model.safetensors', concatChunks(encodeSafetensors(t)));
  if (config) files.set('config.json', new TextEncoder().encode(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(baseFiles.get('config.json'))), ...config })));
  return source(files);
}

function goldenBatch() {
  return toBatch(goldens.input_ids.map((ids, i) => ({ inputIds: ids, tokenTypeIds: goldens.token_type_ids[i], attentionMask: goldens.attention_mask[i] })), 0);
}

/** Logits [N][V] at the goldens' prediction_logits records. */
async function recordLogits(model: MaskedLanguageModel): Promise<number[][]> {
  const batch = goldenBatch();
  const T = batch.inputIds.shape[1];
  const positions = tf.tensor1d(goldens.prediction_logits.map((r) => r.row * T + r.position), 'int32');
  const logits = model.logitsAt(batch, positions, { training: false });
  const out = (await logits.array()) as number[][];
  tf.dispose([positions, logits]);
  disposeBatch(batch);
  return out;
}

describe('loadMaskedLm on tiny-bert-mlm', () => {
  let loaded: LoadedMaskedLm;
  beforeAll(async () => {
    loaded = await loadMaskedLm(source());
  });
  afterAll(() => loaded.model.dispose());

  it('loads the stored head (not a new one) and reports nothing ignored', () => {
    expect(loaded.headInitialised).toBe(false);
    expect(loaded.notes).toEqual([]);
    expect(loaded.report.ignored).toEqual([]);
    expect(loaded.report.unexpected).toEqual([]);
    expect(loaded.report.missing).toEqual([]);
    expect(loaded.report.initialised).toEqual([]);
    expect([...loaded.model.encoder.variables().keys()].filter((n) => n.startsWith('pooler.'))).toEqual([]); // BertForMaskedLM has none
    expect([...loaded.model.head.variables().keys()].sort()).toEqual([MLM_BIAS, MLM_NORM_BIAS, MLM_NORM_WEIGHT, MLM_TRANSFORM_BIAS, MLM_TRANSFORM_WEIGHT].sort());
  });

  it('tokenizes the cases as the reference does (literal [MASK] is the mask token, [mask] is text)', () => {
    const ids = goldens.cases.map((c) => loaded.tokenizer.encode(c.text, c.text_pair, { maxLength: goldens.max_length }).inputIds);
    expect(ids).toEqual(goldens.input_ids.map((row, i) => row.slice(0, goldens.attention_mask[i].reduce((a, b) => a + b, 0))));
    expect(loaded.tokenizer.tokenize('un[MASK]able [mask]')).toEqual(['un', '[MASK]', 'able', '[', 'mask', ']']);
  });

  it('matches last_hidden_state and transform_output', async () => {
    const batch = goldenBatch();
    const [B, T] = batch.inputIds.shape;
    const out = loaded.model.encoder.forward(batch, { training: false });
    const last = out.hiddenStates[out.hiddenStates.length - 1];
    const transformed = tf.tidy(() => tf.reshape(loaded.model.head.transform(tf.reshape(last, [B * T, -1]) as tf.Tensor2D), [B, T, -1]));
    expect(maxAbsDiff(await last.array(), goldens.last_hidden_state)).toBeLessThan(1e-4);
    expect(maxAbsDiff(await transformed.array(), goldens.transform_output)).toBeLessThan(1e-4);
    tf.dispose([...out.hiddenStates, out.mask, transformed]);
    disposeBatch(batch);
  });

  it('matches the full-vocabulary prediction_logits at every listed position', async () => {
    const got = await recordLogits(loaded.model);
    expect(got[0]).toHaveLength(goldens.vocab_size);
    expect(maxAbsDiff(got, goldens.prediction_logits.map((r) => r.logits))).toBeLessThan(1e-4);
  });

  it('matches prediction_argmax and prediction_logsumexp at every position, padding included, leaking nothing', async () => {
    const batch = goldenBatch();
    const [B, T] = batch.inputIds.shape;
    const before = tf.memory().numTensors;
    const positions = tf.range(0, B * T, 1, 'int32') as tf.Tensor1D;
    const logits = loaded.model.logitsAt(batch, positions, { training: false });
    const values = await logits.data();
    tf.dispose([positions, logits]);
    expect(tf.memory().numTensors).toBe(before);
    disposeBatch(batch);
    // argmax and logsumexp in plain JS (float64): tfjs-cpu's element-wise ops over [136, 30522] take seconds.
    const V = goldens.vocab_size;
    const am: number[] = [];
    const ls: number[] = [];
    for (let i = 0; i < B * T; i++) {
      const row = values.subarray(i * V, (i + 1) * V);
      let best = 0;
      for (let v = 1; v < V; v++) if (row[v] > row[best]) best = v;
      let sum = 0;
      for (let v = 0; v < V; v++) sum += Math.exp(row[v] - row[best]);
      am.push(best);
      ls.push(row[best] + Math.log(sum));
    }
    const rows = <T>(flat: T[]) => Array.from({ length: B }, (_, b) => flat.slice(b * T, (b + 1) * T));
    expect(rows(am)).toEqual(goldens.prediction_argmax);
    expect(maxAbsDiff(rows(ls), goldens.prediction_logsumexp)).toBeLessThan(1e-4);
  });

  it('maskedLmLoss is the mean cross-entropy the goldens give', async () => {
    const batch = goldenBatch();
    const T = batch.inputIds.shape[1];
    const records = goldens.prediction_logits;
    // Labels away from the argmax, so the loss is not just logsumexp - max.
    const labels = records.map((_, i) => (1000 + 7 * i) % goldens.vocab_size);
    const want = records.reduce((sum, r, i) => sum + goldens.prediction_logsumexp[r.row][r.position] - r.logits[labels[i]], 0) / records.length;
    const positions = tf.tensor1d(records.map((r) => r.row * T + r.position), 'int32');
    const labelTensor = tf.tensor1d(labels, 'int32');
    const loss = maskedLmLoss(loaded.model, batch, positions, labelTensor, { training: false });
    expect(Math.abs((await loss.data())[0] - want)).toBeLessThan(1e-4);
    tf.dispose([positions, labelTensor, loss]);
    disposeBatch(batch);
  });
});

describe('gradients', () => {
  // A 60-token vocabulary: tfjs-cpu's gradient of gather (unsortedSegmentSum) loops over every
  // embedding row, which for 30,522 rows takes minutes; the code paths are the same.
  const V = 60;
  const small = async () => {
    const config = { ...(await readBertConfig(source())), vocab_size: V };
    return buildMaskedLm(config, initBertParameters(config, 3), initMaskedLmHead(config, 4), { trainable: true });
  };

  it('reach every variable, and the tied embedding gets the sum of its two uses', async () => {
    const model = await small();
    const batch = toBatch([{ inputIds: [2, 10, 4, 11, 3], tokenTypeIds: [0, 0, 0, 0, 0] }, { inputIds: [2, 4, 12, 3], tokenTypeIds: [0, 0, 0, 1] }], 0);
    const T = batch.inputIds.shape[1];
    const positions = tf.tensor1d([0 * T + 2, 1 * T + 1], 'int32');
    const labels = tf.tensor1d([20, 21], 'int32');
    const vars = model.variables();
    expect([...vars.keys()].some((n) => n.startsWith('pooler.'))).toBe(false);
    expect(vars.get(WORD_EMBEDDINGS)).toBe(model.encoder.variables().get(WORD_EMBEDDINGS));
    const tied = tf.variableGrads(() => maskedLmLoss(model, batch, positions, labels, { training: false }), [...vars.values()]);
    for (const [name, v] of vars) {
      const g = tied.grads[v.name];
      expect([name, g !== undefined && (await tf.any(tf.notEqual(g, 0)).data())[0] === 1]).toEqual([name, true]);
    }

    // The same model with the decoder on a separate copy of the embeddings: the input-side and
    // output-side gradients, which the tied model must add up.
    const copy = tf.variable(vars.get(WORD_EMBEDDINGS)!.clone());
    const headWeights = new Map<string, HostTensor>();
    for (const [name, v] of model.head.variables()) headWeights.set(name, { dtype: 'float32', shape: v.shape.slice(), data: (await v.data()) as Float32Array });
    const split = new MaskedLanguageModel(model.encoder, new MaskedLmHead(model.config, headWeights, copy), model.config);
    const parts = tf.variableGrads(() => maskedLmLoss(split, batch, positions, labels, { training: false }), [vars.get(WORD_EMBEDDINGS)!, copy]);
    const inputSide = parts.grads[vars.get(WORD_EMBEDDINGS)!.name];
    const outputSide = parts.grads[copy.name];
    const tiedGrad = tied.grads[vars.get(WORD_EMBEDDINGS)!.name];
    const maxAbs = async (t: tf.Tensor) => (await tf.max(tf.abs(t)).data())[0];
    expect(await maxAbs(tf.sub(tf.add(inputSide, outputSide), tiedGrad))).toBeLessThan(1e-6);
    // Both parts are really there: the input side only on the batch's token rows, the output side on every row.
    expect(await maxAbs(inputSide)).toBeGreaterThan(0);
    expect(await maxAbs(tf.slice(outputSide, [V - 1, 0], [1, -1]))).toBeGreaterThan(0);
    expect(await maxAbs(tf.slice(inputSide, [V - 1, 0], [1, -1]))).toBe(0);
    expect(Math.abs((await tied.value.data())[0] - (await parts.value.data())[0])).toBeLessThan(1e-6);

    split.head.dispose();
    copy.dispose();
    tf.dispose([tied.value, ...Object.values(tied.grads), parts.value, ...Object.values(parts.grads), positions, labels]);
    disposeBatch(batch);
    model.dispose();
  });

  it('a training step leaves no tensor behind', async () => {
    const model = await small();
    const batch = toBatch([{ inputIds: [2, 10, 4, 11, 3], tokenTypeIds: [0, 0, 0, 0, 0] }], 0);
    const positions = tf.tensor1d([2], 'int32');
    const labels = tf.tensor1d([20], 'int32');
    const rng = new SeededRng(1);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => maskedLmLoss(model, batch, positions, labels, { training: true, rng }), [...model.variables().values()]);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([positions, labels]);
    disposeBatch(batch);
    model.dispose();
  });
});

describe('checkpoint variants', () => {
  const reference = async () => {
    const { model } = await loadMaskedLm(source());
    try {
      return await recordLogits(model);
    } finally {
      model.dispose();
    }
  };
  let want: number[][];
  beforeAll(async () => {
    want = await reference();
  });

  it('BertForPreTraining layout: TF-era gamma/beta names, a tied decoder copy, a decoder bias, next-sentence weights, a pooler', async () => {
    const loaded = await loadMaskedLm(withCheckpoint((t) => {
      for (const [from, to] of [['weight', 'gamma'], ['bias', 'beta']]) {
        t.set(`cls.predictions.transform.LayerNorm.${to}`, t.get(`cls.predictions.transform.LayerNorm.${from}`)!);
        t.delete(`cls.predictions.transform.LayerNorm.${from}`);
      }
      t.set('cls.predictions.decoder.weight', t.get('bert.embeddings.word_embeddings.weight')!);
      t.set('cls.predictions.decoder.bias', t.get('cls.predictions.bias')!);
      t.set('cls.seq_relationship.weight', { dtype: 'float32', shape: [2, 32], data: new Float32Array(64) });
      t.set('cls.seq_relationship.bias', { dtype: 'float32', shape: [2], data: new Float32Array(2) });
      t.set('bert.pooler.dense.weight', { dtype: 'float32', shape: [32, 32], data: new Float32Array(1024) });
      t.set('bert.pooler.dense.bias', { dtype: 'float32', shape: [32], data: new Float32Array(32) });
    }));
    expect(loaded.headInitialised).toBe(false);
    expect(loaded.notes).toEqual([]);
    // BertForPreTraining: next-sentence prediction and the pooler are set aside.
    expect(loaded.report.ignored.sort()).toEqual(['cls.seq_relationship.bias', 'cls.seq_relationship.weight', 'pooler.dense.bias', 'pooler.dense.weight']);
    expect(loaded.report.unexpected).toEqual([]);
    expect(maxAbsDiff(await recordLogits(loaded.model), want)).toBe(0);
    loaded.model.dispose();
  });

  it('a stored decoder that differs from the embeddings is not used, and a note says so', async () => {
    const loaded = await loadMaskedLm(withCheckpoint((t) => {
      const e = t.get('bert.embeddings.word_embeddings.weight')!;
      t.set('cls.predictions.decoder.weight', { ...e, data: (e.data as Float32Array).map((x) => x * 2) });
    }));
    expect(loaded.notes).toHaveLength(1);
    expect(loaded.notes[0]).toContain('cls.predictions.decoder.weight');
    expect(loaded.notes[0]).toContain('not used');
    expect(maxAbsDiff(await recordLogits(loaded.model), want)).toBe(0);
    loaded.model.dispose();
  });

  it('only cls.predictions.decoder.bias stands in for cls.predictions.bias', async () => {
    const loaded = await loadMaskedLm(withCheckpoint((t) => {
      t.set('cls.predictions.decoder.bias', t.get('cls.predictions.bias')!);
      t.delete('cls.predictions.bias');
    }));
    expect(maxAbsDiff(await recordLogits(loaded.model), want)).toBe(0);
    loaded.model.dispose();
  });

  it('a BertModel checkpoint gets a new head, HF-initialised and seeded', async () => {
    const bare = () => withCheckpoint((t) => {
      for (const k of [...t.keys()]) if (k.startsWith('cls.')) t.delete(k);
    });
    const a = await loadMaskedLm(bare(), { seed: 5 });
    const b = await loadMaskedLm(bare(), { seed: 5 });
    const c = await loadMaskedLm(bare(), { seed: 6 });
    expect(a.headInitialised).toBe(true);
    expect(a.report.initialised).toEqual(expect.arrayContaining([MLM_TRANSFORM_WEIGHT, MLM_BIAS]));
    const head = a.model.head.variables();
    const values = async (name: string, m = a) => Array.from(await m.model.head.variables().get(name)!.data());
    expect(await values(MLM_BIAS)).toEqual(new Array(goldens.vocab_size).fill(0));
    expect(await values(MLM_NORM_WEIGHT)).toEqual(new Array(32).fill(1));
    expect(await values(MLM_NORM_BIAS)).toEqual(new Array(32).fill(0));
    expect(await values(MLM_TRANSFORM_BIAS)).toEqual(new Array(32).fill(0));
    const w = await values(MLM_TRANSFORM_WEIGHT);
    const std = Math.sqrt(w.reduce((s, x) => s + x * x, 0) / w.length);
    expect(std).toBeGreaterThan(0.015);
    expect(std).toBeLessThan(0.025);
    expect(head.get(MLM_TRANSFORM_WEIGHT)!.shape).toEqual([32, 32]);
    expect(await values(MLM_TRANSFORM_WEIGHT, b)).toEqual(w);
    expect(await values(MLM_TRANSFORM_WEIGHT, c)).not.toEqual(w);
    for (const m of [a, b, c]) m.model.dispose();
  });

  it('a partial head, an untied config and a wrong shape are errors naming what is wrong', async () => {
    const before = tf.memory().numTensors;
    const partial = await errorOf(() => loadMaskedLm(withCheckpoint((t) => t.delete('cls.predictions.transform.dense.bias'))));
    expect(partial.message).toContain('missing cls.predictions.transform.dense.bias');
    const untied = await errorOf(() => loadMaskedLm(withCheckpoint(() => {}, { tie_word_embeddings: false })));
    expect(untied.message).toContain('tie_word_embeddings');
    const shape = await errorOf(() => loadMaskedLm(withCheckpoint((t) => t.set('cls.predictions.bias', { dtype: 'float32', shape: [10], data: new Float32Array(10) }))));
    expect(shape.message).toContain('cls.predictions.bias');
    expect(shape.message).toContain('[30522]');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('maskedLmFolderFiles', () => {
  it('writes a BertForMaskedLM folder (no pooler, no decoder weight) that loads back to the same logits', async () => {
    const loaded = await loadMaskedLm(source());
    const files = await maskedLmFolderFiles(loaded.model, loaded.tokenizerFiles);
    expect([...files.keys()].sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer_config.json', 'vocab.txt']);
    const flat = new Map([...files].map(([name, chunks]) => [name, concatChunks(chunks)]));
    const saved = new MemoryModelSource(flat, '/saved');
    const config = JSON.parse(new TextDecoder().decode(flat.get('config.json')));
    expect(config.architectures).toEqual(['BertForMaskedLM']);
    expect(config.vocab_size).toBe(30522);
    const header = await readSafetensorsHeader(saved, 'model.safetensors');
    const names = header.entries.map((e) => e.name);
    const original = (await readSafetensorsHeader(source(), 'model.safetensors')).entries.map((e) => e.name);
    expect(names.sort()).toEqual(original.sort()); // bert.* without pooler, cls.predictions.* without decoder
    const again = await loadMaskedLm(saved);
    expect(again.headInitialised).toBe(false);
    const a = await recordLogits(loaded.model);
    const b = await recordLogits(again.model);
    expect(maxAbsDiff(a, b)).toBe(0);
    const exported = await again.model.exportWeights();
    for (const [name, t] of await loaded.model.exportWeights()) expect([name, bitEqual(exported.get(name)!.data, t.data)]).toEqual([name, true]);
    loaded.model.dispose();
    again.model.dispose();
  });
});
