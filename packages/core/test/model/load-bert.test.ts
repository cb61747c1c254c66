// loadBertModel on the tiny-bert fixture against the reference implementation's hidden states,
// and the errors of every way a model folder can be wrong.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { maxAbsDiff, readTinyBertGoldens } from '../../../../testing/shared-fixtures';
import { MaxPoolBertError } from '../../src/errors.js';
import { toBatch, disposeBatch } from '../../src/model/batch.js';
import { loadBertModel, loadBertWeights, readBertConfig } from '../../src/model/load-bert.js';
import { clsVector } from '../../src/model/pooling.js';
import { concatChunks, encodeSafetensors, loadCheckpoint, type HostTensor } from '../../src/weights/index.js';
import { bitEqual, errorOf, memorySource, tinyBertFiles } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const LOCATION = '/models/tiny';
const goldens = readTinyBertGoldens();
const baseFiles = tinyBertFiles();
let fixtureTensors: Map<string, HostTensor>;

beforeAll(async () => {
  fixtureTensors = (await loadCheckpoint(memorySource(baseFiles))).tensors;
});

const text = (s: string) => new TextEncoder().encode(s);
const baseConfig = () => JSON.parse(new TextDecoder().decode(baseFiles.get('config.json')!)) as Record<string, unknown>;

/** The fixture folder with some files replaced (a value of null removes the file). */
function folder(changes: Record<string, Uint8Array | string | null> = {}) {
  const files = new Map(baseFiles);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) files.delete(name);
    else files.set(name, typeof value === 'string' ? text(value) : value);
  }
  return memorySource(files, LOCATION);
}

const safetensors = (tensors: Map<string, HostTensor>) => concatChunks(encodeSafetensors(tensors));

/** Runs the encoder on the goldens' inputs; every hidden state and the pooler, as arrays. */
async function runGoldens(encoder: Awaited<ReturnType<typeof loadBertModel>>['encoder']) {
  const batch = toBatch(
    goldens.input_ids.map((ids, i) => ({ inputIds: ids, tokenTypeIds: goldens.token_type_ids[i]!, attentionMask: goldens.attention_mask[i]! })),
    0,
  );
  const before = tf.memory().numTensors;
  const out = encoder.forward(batch, { training: false });
  const hidden = await Promise.all(out.hiddenStates.map((h) => h.array()));
  const cls = clsVector(out.hiddenStates[out.hiddenStates.length - 1]!);
  const pooled = encoder.pool(cls);
  const pooler = await pooled.array();
  tf.dispose([...out.hiddenStates, out.mask, cls, pooled]);
  expect(tf.memory().numTensors).toBe(before); // forward keeps nothing behind
  disposeBatch(batch);
  return { hidden, pooler };
}

describe('loadBertModel on the tiny-bert fixture', () => {
  it('reproduces the reference hidden states and pooler output', async () => {
    const model = await loadBertModel(folder());
    expect(model.config.hidden_size).toBe(32);
    expect(model.report.file).toBe(`${LOCATION}/model.safetensors`);
    expect(model.report.ignored).toEqual([]);
    expect(model.rest.size).toBe(0);
    // The tokenizer reproduces the goldens' ids too.
    goldens.cases.forEach((c, i) => {
      const enc = model.tokenizer.encode(c.text, c.text_pair, { maxLength: goldens.max_length, padding: 'max_length' });
      expect(enc.inputIds).toEqual(goldens.input_ids[i]);
      expect(enc.attentionMask).toEqual(goldens.attention_mask[i]);
    });

    const { hidden, pooler } = await runGoldens(model.encoder);
    expect(hidden).toHaveLength(goldens.hidden_states.length);
    const last = goldens.hidden_states.length - 1;
    expect(maxAbsDiff(hidden[last], goldens.hidden_states[last])).toBeLessThan(1e-4);
    for (let l = 0; l < last; l++) expect([l, maxAbsDiff(hidden[l], goldens.hidden_states[l]) < 1e-4]).toEqual([l, true]);
    expect(maxAbsDiff(pooler, goldens.pooler_output)).toBeLessThan(1e-4);
    model.encoder.dispose();
  });

  it('the encoder holds exactly the checkpoint values', async () => {
    const model = await loadBertModel(folder());
    const exported = await model.encoder.exportWeights();
    expect(exported.size).toBe(fixtureTensors.size);
    for (const [name, t] of fixtureTensors) expect([name, bitEqual(exported.get(name)!.data, t.data)]).toEqual([name, true]);
    model.encoder.dispose();
  });
});

describe('loadBertModel errors', () => {
  it('missing config.json: names the path and suggests `maxpoolbert init`', async () => {
    const err = await errorOf(() => loadBertModel(folder({ 'config.json': null })));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toContain(`${LOCATION}/config.json`);
    expect(err.message).toContain('maxpoolbert init');
  });

  it('invalid JSON in config.json: names the file', async () => {
    const err = await errorOf(() => loadBertModel(folder({ 'config.json': '{"hidden_size": 32,' })));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toContain(`${LOCATION}/config.json`);
    expect(err.message).toMatch(/not valid JSON/);
  });

  it('an unsupported hidden_act: names the field and the file', async () => {
    const err = await errorOf(() => loadBertModel(folder({ 'config.json': JSON.stringify({ ...baseConfig(), hidden_act: 'swish' }) })));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toContain('hidden_act');
    expect(err.message).toContain('swish');
    expect(err.message).toContain(`${LOCATION}/config.json`);
  });

  it('no weights file: names both model.safetensors and pytorch_model.bin', async () => {
    const err = await errorOf(() => loadBertModel(folder({ 'model.safetensors': null })));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toContain('model.safetensors');
    expect(err.message).toContain('pytorch_model.bin');
    expect(err.message).toContain(LOCATION);
  });

  it('a checkpoint missing a layer tensor: one error listing the missing key', async () => {
    const missing = 'encoder.layer.1.intermediate.dense.weight';
    const tensors = new Map(fixtureTensors);
    tensors.delete(missing);
    const err = await errorOf(() => loadBertModel(folder({ 'model.safetensors': safetensors(tensors) })));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toContain(missing);
    expect(err.message).toContain('missing 1 parameter');
    expect(err.message).toContain(`${LOCATION}/model.safetensors`);

    // Several missing keys are listed together in the one error.
    const other = 'embeddings.token_type_embeddings.weight';
    tensors.delete(other);
    const both = await errorOf(() => loadBertModel(folder({ 'model.safetensors': safetensors(tensors) })));
    expect(both.message).toContain('missing 2 parameters');
    expect(both.message).toContain(missing);
    expect(both.message).toContain(other);
  });

  it('a shape mismatch: names the key and both shapes', async () => {
    const key = 'encoder.layer.0.intermediate.dense.bias';
    const tensors = new Map(fixtureTensors);
    tensors.set(key, { dtype: 'float32', shape: [63], data: new Float32Array(63) });
    const err = await errorOf(() => loadBertModel(folder({ 'model.safetensors': safetensors(tensors) })));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toContain(key);
    expect(err.message).toContain('[64]');
    expect(err.message).toContain('[63]');
  });

  it('a vocabulary larger than vocab_size: names vocab_size', async () => {
    const err = await errorOf(() => loadBertModel(folder({ 'config.json': JSON.stringify({ ...baseConfig(), vocab_size: 30000 }) })));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toContain('vocab_size');
    expect(err.message).toContain('30522');
    expect(err.message).toContain('30000');
  });
});

describe('checkpoint naming variants', () => {
  it('loads `bert.`-prefixed keys with TF-era LayerNorm gamma/beta, and ignores cls.* keys', async () => {
    const tensors = new Map<string, HostTensor>();
    for (const [name, t] of fixtureTensors) {
      tensors.set(`bert.${name.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta')}`, t);
    }
    expect([...tensors.keys()].filter((k) => k.endsWith('.gamma'))).toHaveLength(5);
    const cls = {
      'cls.predictions.bias': { dtype: 'float32', shape: [30522], data: new Float32Array(30522) },
      'cls.predictions.transform.dense.weight': { dtype: 'float32', shape: [32, 32], data: new Float32Array(1024) },
      'cls.predictions.transform.LayerNorm.gamma': { dtype: 'float32', shape: [32], data: new Float32Array(32).fill(1) },
      'cls.seq_relationship.weight': { dtype: 'float32', shape: [2, 32], data: new Float32Array(64) },
    } satisfies Record<string, HostTensor>;
    for (const [k, v] of Object.entries(cls)) tensors.set(k, v);

    const model = await loadBertModel(folder({ 'model.safetensors': safetensors(tensors) }));
    expect([...model.report.ignored].sort()).toEqual(Object.keys(cls).sort());
    // The masked-LM head is handed on (canonical names) for loadMaskedLm; next-sentence prediction is not.
    expect([...model.rest.keys()].sort()).toEqual(['cls.predictions.bias', 'cls.predictions.transform.LayerNorm.weight', 'cls.predictions.transform.dense.weight']);
    expect(model.report.unexpected).toEqual([]);
    const exported = await model.encoder.exportWeights();
    for (const [name, t] of fixtureTensors) expect([name, bitEqual(exported.get(name)!.data, t.data)]).toEqual([name, true]);
    const { hidden } = await runGoldens(model.encoder);
    const last = goldens.hidden_states.length - 1;
    expect(maxAbsDiff(hidden[last], goldens.hidden_states[last])).toBeLessThan(1e-4);
    model.encoder.dispose();
  });

  it('returns head.* and classifier.* tensors in `rest`', async () => {
    const tensors = new Map(fixtureTensors);
    const extra: Record<string, HostTensor> = {
      'head.mha.query.weight': { dtype: 'float32', shape: [32, 32], data: Float32Array.from({ length: 1024 }, (_, i) => Math.sin(i)) },
      'classifier.weight': { dtype: 'float32', shape: [3, 32], data: Float32Array.from({ length: 96 }, (_, i) => i / 96) },
      'classifier.bias': { dtype: 'float32', shape: [3], data: new Float32Array([0.5, -0.25, 0.125]) },
    };
    for (const [k, v] of Object.entries(extra)) tensors.set(k, v);
    const model = await loadBertModel(folder({ 'model.safetensors': safetensors(tensors) }));
    expect([...model.rest.keys()].sort()).toEqual(Object.keys(extra).sort());
    for (const [k, v] of Object.entries(extra)) {
      expect(model.rest.get(k)!.shape).toEqual(v.shape);
      expect([k, bitEqual(model.rest.get(k)!.data, v.data)]).toEqual([k, true]);
    }
    expect([...model.report.unexpected].sort()).toEqual(Object.keys(extra).sort());
    expect(model.report.ignored).toEqual([]);
    model.encoder.dispose();
  });

  it('loadBertWeights with allowMissing reports the allowed missing parameters', async () => {
    const tensors = new Map(fixtureTensors);
    tensors.delete('encoder.layer.1.output.dense.weight');
    tensors.delete('encoder.layer.1.output.dense.bias');
    const source = folder({ 'model.safetensors': safetensors(tensors) });
    const weights = await loadBertWeights(source, await readBertConfig(source), { allowMissing: (n) => n.startsWith('encoder.layer.1.output.dense.') });
    expect(weights.report.missing).toEqual(['encoder.layer.1.output.dense.weight', 'encoder.layer.1.output.dense.bias']);
    expect(weights.encoder.has('encoder.layer.1.output.dense.weight')).toBe(false);
    expect(weights.encoder.size).toBe(37);
    expect(weights.report).toMatchObject({ initialised: [], poolerInitialised: false, pooler: true });
  });
});
