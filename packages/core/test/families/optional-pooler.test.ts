// A checkpoint without a pooler (BertForMaskedLM, DistilBERT) loads with a new, reported pooler;
// `pooler: false` builds none at all.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { maxAbsDiff } from '../../../../testing/shared-fixtures';
import { MaxPoolBertError } from '../../src/errors.js';
import { disposeBatch, toBatch } from '../../src/model/batch.js';
import { loadBertModel, loadBertWeights, readBertConfig } from '../../src/model/load-bert.js';
import { createEncoder } from '../../src/registry/encoders.js';
import { errorOf } from '../model/helpers.js';
import { fixtureGoldens, fixtureSource, fixtureTensors, safetensorsBytes } from './fixtures.js';

const POOLER = ['pooler.dense.weight', 'pooler.dense.bias'];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('a checkpoint without a pooler', () => {
  it('tiny-bert-mlm (BertForMaskedLM) loads: the pooler is new, reported, and the encoder still matches the goldens', async () => {
    const before = tf.memory().numTensors;
    const source = fixtureSource('tiny-bert-mlm');
    const { encoder, report, config } = await loadBertModel(source, { trainable: false });
    expect(report).toMatchObject({ initialised: POOLER, poolerInitialised: true, pooler: true, missing: [], unexpected: [] });
    expect(report.ignored.every((k) => k.startsWith('cls.'))).toBe(true);

    // Hugging Face's init: N(0, initializer_range) weight, zero bias.
    const w = (await encoder.variables().get('pooler.dense.weight')!.data()) as Float32Array;
    const b = (await encoder.variables().get('pooler.dense.bias')!.data()) as Float32Array;
    const mean = w.reduce((a, x) => a + x, 0) / w.length;
    const std = Math.sqrt(w.reduce((a, x) => a + (x - mean) ** 2, 0) / w.length);
    expect(Math.abs(mean)).toBeLessThan(0.005);
    expect(std).toBeGreaterThan(0.8 * config.initializer_range);
    expect(std).toBeLessThan(1.2 * config.initializer_range);
    expect([...b].every((x) => x === 0)).toBe(true);

    const goldens = JSON.parse(await source.readText('goldens.json')) as { input_ids: number[][]; token_type_ids: number[][]; attention_mask: number[][]; last_hidden_state: number[][][] };
    const batch = toBatch(goldens.input_ids.map((ids, i) => ({ inputIds: ids, tokenTypeIds: goldens.token_type_ids[i], attentionMask: goldens.attention_mask[i] })), 0);
    const out = encoder.forward(batch, { training: false });
    expect(maxAbsDiff(await out.hiddenStates[config.num_hidden_layers].array(), goldens.last_hidden_state)).toBeLessThan(1e-4);
    const pooled = tf.tidy(() => encoder.pool(tf.ones([2, config.hidden_size])));
    expect(pooled.shape).toEqual([2, config.hidden_size]);
    tf.dispose([...out.hiddenStates, out.mask, pooled]);
    disposeBatch(batch);
    encoder.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the new pooler is seeded: the same seed gives the same weights, another seed others', async () => {
    const source = fixtureSource('tiny-bert-mlm');
    const config = await readBertConfig(source);
    const a = await loadBertWeights(source, config, { seed: 7 });
    const b = await loadBertWeights(source, config, { seed: 7 });
    const c = await loadBertWeights(source, config, { seed: 8 });
    const weight = (w: typeof a) => w.encoder.get('pooler.dense.weight')!.data;
    expect(weight(a)).toEqual(weight(b));
    expect(weight(a)).not.toEqual(weight(c));
  });

  it('any other missing encoder parameter is still an error', async () => {
    const tensors = await fixtureTensors('tiny-bert-mlm');
    tensors.delete('bert.encoder.layer.0.output.dense.bias');
    const err = await errorOf(() => loadBertModel(fixtureSource('tiny-bert-mlm', { 'model.safetensors': safetensorsBytes(tensors) })));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toContain('missing 1 parameter: encoder.layer.0.output.dense.bias');
  });
});

describe('pooler: false', () => {
  it('builds an encoder without one; a checkpoint pooler is set aside; pool() is one clear error', async () => {
    const source = fixtureSource('tiny-roberta');
    const config = await readBertConfig(source);
    const weights = await loadBertWeights(source, config, { pooler: false });
    expect(weights.report).toMatchObject({ pooler: false, poolerInitialised: false, initialised: [], unexpected: [] });
    expect(weights.report.ignored).toEqual(expect.arrayContaining(['roberta.pooler.dense.weight', 'roberta.pooler.dense.bias']));
    expect(weights.encoder.has('pooler.dense.weight')).toBe(false);
    expect(weights.rest.size).toBe(0);
    const encoder = createEncoder(config, weights.encoder, { pooler: false });
    expect(encoder.hasPooler).toBe(false);
    expect([...encoder.variables().keys()].some((k) => k.startsWith('pooler.'))).toBe(false);
    const v = tf.ones([1, config.hidden_size]) as tf.Tensor2D;
    expect(() => encoder.pool(v)).toThrow(/built without a pooler \(--no-pooler\)/);
    v.dispose();
    encoder.dispose();
  });

  it('a folder saved without a pooler (maxpoolbert_pooler: false) loads without one again', async () => {
    const source = fixtureSource('tiny-bert-mlm');
    const config = { ...(await readBertConfig(source)) };
    config.extra = { ...config.extra, maxpoolbert_pooler: false };
    const weights = await loadBertWeights(source, config);
    expect(weights.report).toMatchObject({ pooler: false, poolerInitialised: false, initialised: [] });
    expect(weights.encoder.has('pooler.dense.weight')).toBe(false);
  });
});
