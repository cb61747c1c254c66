// DistilBERT: its own config keys both ways, its layer names both ways, sinusoidal positions and
// the task heads Hugging Face saves with it.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { maxAbsDiff } from '../../../../testing/shared-fixtures';
import { parseBertConfig, serializeBertConfig } from '../../src/config/bert-config.js';
import { MaxPoolBertError } from '../../src/errors.js';
import { canonicalToDistilBert, distilBertToCanonical, sinusoidalTable } from '../../src/families/index.js';
import { bertParameterShapes } from '../../src/model/bert-parameters.js';
import { disposeBatch, toBatch } from '../../src/model/batch.js';
import { loadBertWeights, readBertConfig } from '../../src/model/load-bert.js';
import { createEncoder } from '../../src/registry/encoders.js';
import { errorOf } from '../model/helpers.js';
import { fixtureConfig, fixtureGoldens, fixtureSource, fixtureTensors, safetensorsBytes, tensor } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('DistilBERT config', () => {
  it('maps dim, n_layers, n_heads, hidden_dim, activation, dropouts onto the canonical fields', () => {
    const config = parseBertConfig(fixtureConfig('tiny-distilbert'), 'config.json');
    expect(config).toMatchObject({
      hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 64, hidden_act: 'gelu',
      hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1, classifier_dropout: 0.2, layer_norm_eps: 1e-12,
      max_position_embeddings: 128, vocab_size: 30522, pad_token_id: 0,
    });
    expect(config.extra).toMatchObject({ model_type: 'distilbert', sinusoidal_pos_embds: false, qa_dropout: 0.1 });
  });

  it("writes DistilBERT's own keys back (the same object), never BERT's", () => {
    const json = fixtureConfig('tiny-distilbert');
    const out = serializeBertConfig(parseBertConfig(json, 'config.json'));
    expect(out).toEqual(json);
    for (const bert of ['hidden_size', 'num_hidden_layers', 'intermediate_size', 'hidden_act', 'layer_norm_eps', 'type_vocab_size']) expect(out).not.toHaveProperty(bert);
  });

  it("errors name DistilBERT's key, not the BERT field it maps to", async () => {
    const bad = await errorOf(async () => parseBertConfig({ ...fixtureConfig('tiny-distilbert'), n_heads: 5 }, 'config.json'));
    expect(bad).toBeInstanceOf(MaxPoolBertError);
    expect(bad.message).toMatch(/^config\.json: n_heads: hidden_size 32 is not divisible/);
    const act = await errorOf(async () => parseBertConfig({ ...fixtureConfig('tiny-distilbert'), activation: 'swish' }, 'config.json'));
    expect(act.message).toMatch(/^config\.json: activation: "swish" is not supported/);
    const bertKey = await errorOf(async () => parseBertConfig({ ...fixtureConfig('tiny-distilbert'), hidden_size: 32 }, 'config.json'));
    expect(bertKey.message).toBe('config.json: hidden_size: a DistilBERT config sets "dim", not "hidden_size" (rename it to "dim")');
  });
});

describe('DistilBERT names', () => {
  it('every layer name maps to a canonical one and back', () => {
    const config = parseBertConfig(fixtureConfig('tiny-distilbert'));
    const canonical = [...bertParameterShapes(config, { pooler: false, tokenTypes: false }).keys()];
    for (const name of canonical) expect(distilBertToCanonical(canonicalToDistilBert(name))).toBe(name);
    expect(canonicalToDistilBert('encoder.layer.1.attention.self.query.weight')).toBe('transformer.layer.1.attention.q_lin.weight');
    expect(canonicalToDistilBert('encoder.layer.0.attention.output.LayerNorm.bias')).toBe('transformer.layer.0.sa_layer_norm.bias');
    expect(canonicalToDistilBert('encoder.layer.0.output.LayerNorm.weight')).toBe('transformer.layer.0.output_layer_norm.weight');
    expect(canonicalToDistilBert('encoder.layer.0.intermediate.dense.weight')).toBe('transformer.layer.0.ffn.lin1.weight');
  });

  it('the fixture loads with no missing or unexpected key; masked-LM and classification heads are ignored', async () => {
    const tensors = await fixtureTensors('tiny-distilbert');
    const heads = ['vocab_transform.weight', 'vocab_layer_norm.weight', 'vocab_projector.bias', 'pre_classifier.weight', 'classifier.weight', 'classifier.bias'];
    for (const k of heads) tensors.set(k, tensor([2, 32]));
    const source = fixtureSource('tiny-distilbert', { 'model.safetensors': safetensorsBytes(tensors) });
    const weights = await loadBertWeights(source, await readBertConfig(source));
    expect([...weights.report.ignored].sort()).toEqual([...heads].sort());
    expect(weights.report).toMatchObject({ unexpected: [], missing: [], initialised: ['pooler.dense.weight', 'pooler.dense.bias'], poolerInitialised: true });
    expect(weights.rest.size).toBe(0);
    expect(weights.encoder.has('embeddings.token_type_embeddings.weight')).toBe(false);
  });
});

describe('DistilBERT sinusoidal positions', () => {
  it("the table is Hugging Face's create_sinusoidal_embeddings: sin in even, cos in odd columns", () => {
    const dim = 6;
    const table = sinusoidalTable(4, dim);
    const at = (pos: number, j: number) => table.data[pos * dim + j]!;
    expect(at(0, 0)).toBe(0);
    expect(at(0, 1)).toBe(1);
    expect(at(3, 0)).toBeCloseTo(Math.sin(3), 6);
    expect(at(3, 1)).toBeCloseTo(Math.cos(3), 6);
    expect(at(2, 2)).toBeCloseTo(Math.sin(2 / Math.pow(10000, 2 / dim)), 6);
    expect(at(2, 5)).toBeCloseTo(Math.cos(2 / Math.pow(10000, 4 / dim)), 6);
  });

  it('sinusoidal_pos_embds: true uses the fixed table (the checkpoint copy is ignored) and saves it like Hugging Face', async () => {
    const source = fixtureSource('tiny-distilbert', { 'config.json': JSON.stringify({ ...fixtureConfig('tiny-distilbert'), sinusoidal_pos_embds: true }) });
    const config = await readBertConfig(source);
    const weights = await loadBertWeights(source, config);
    expect(weights.report.ignored).toEqual(['distilbert.embeddings.position_embeddings.weight']);
    expect(weights.report.unexpected).toEqual([]);
    const encoder = createEncoder(config, weights.encoder, { trainable: true });
    expect(encoder.variables().has('embeddings.position_embeddings.weight')).toBe(false); // never trained
    const saved = await encoder.exportWeights();
    expect(saved.get('embeddings.position_embeddings.weight')!.data).toEqual(sinusoidalTable(128, 32).data);
    encoder.dispose();
  });
});

describe('DistilBERT forward', () => {
  it('padded rows included, every hidden state matches the goldens (token types play no part)', async () => {
    const source = fixtureSource('tiny-distilbert');
    const config = await readBertConfig(source);
    const encoder = createEncoder(config, (await loadBertWeights(source, config)).encoder);
    const goldens = fixtureGoldens('tiny-distilbert');
    // Token types 1 everywhere: DistilBERT must ignore them.
    const batch = toBatch(goldens.input_ids.map((ids, i) => ({ inputIds: ids, tokenTypeIds: ids.map(() => 1), attentionMask: goldens.attention_mask[i] })), 0);
    const before = tf.memory().numTensors;
    const out = encoder.forward(batch, { training: false });
    for (let l = 0; l < out.hiddenStates.length; l++) expect(maxAbsDiff(await out.hiddenStates[l].array(), goldens.hidden_states[l])).toBeLessThan(1e-4);
    tf.dispose([...out.hiddenStates, out.mask]);
    expect(tf.memory().numTensors).toBe(before);
    disposeBatch(batch);
    encoder.dispose();
  });
});
