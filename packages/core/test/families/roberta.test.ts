// RoBERTa: config mapping, padding-aware position ids, checkpoint names, the ignored task heads.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { maxAbsDiff } from '../../../../testing/shared-fixtures';
import { parseBertConfig, serializeBertConfig } from '../../src/config/bert-config.js';
import { robertaPositionIds } from '../../src/families/index.js';
import { disposeBatch, toBatch } from '../../src/model/batch.js';
import { loadBertModel, loadBertWeights, readBertConfig } from '../../src/model/load-bert.js';
import { errorOf } from '../model/helpers.js';
import { createEncoder } from '../../src/registry/encoders.js';
import { fixtureConfig, fixtureGoldens, fixtureSource, fixtureTensors, safetensorsBytes, tensor } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('RoBERTa config', () => {
  it('reads BERT keys with model_type roberta, and writes back the same object (plus classifier_dropout, as for BERT)', () => {
    const json = fixtureConfig('tiny-roberta');
    const config = parseBertConfig(json, 'config.json');
    expect(config).toMatchObject({ hidden_size: 32, type_vocab_size: 1, layer_norm_eps: 1e-5, pad_token_id: 1, vocab_size: 50265, max_position_embeddings: 66 });
    expect(config.extra).toMatchObject({ model_type: 'roberta', bos_token_id: 0, eos_token_id: 2 });
    expect(serializeBertConfig(config)).toEqual({ ...json, classifier_dropout: null });
  });

  it("omitted fields take RobertaConfig's defaults (vocab 50265, pad 1)", () => {
    const config = parseBertConfig({ model_type: 'roberta', hidden_size: 32, num_attention_heads: 4 });
    expect(config).toMatchObject({ vocab_size: 50265, pad_token_id: 1 });
  });
});

describe('RoBERTa position ids', () => {
  it("match the goldens' position_ids: real tokens from pad + 1 = 2, padding at 1", async () => {
    const goldens = fixtureGoldens('tiny-roberta');
    const ids = tf.tensor2d(goldens.input_ids, undefined, 'int32');
    const positions = robertaPositionIds(ids, 1);
    expect(await positions.array()).toEqual(goldens.position_ids!.flat());
    tf.dispose([ids, positions]);
  });
});

describe('RoBERTa checkpoints', () => {
  it('roberta.* keys map onto the canonical names; lm_head.* and classifier.dense/out_proj.* are ignored', async () => {
    const tensors = await fixtureTensors('tiny-roberta');
    expect([...tensors.keys()].every((k) => k.startsWith('roberta.'))).toBe(true);
    const heads = ['lm_head.dense.weight', 'lm_head.bias', 'classifier.dense.weight', 'classifier.out_proj.weight', 'roberta.embeddings.position_ids'];
    for (const k of heads) tensors.set(k, tensor([2, 32]));
    const source = fixtureSource('tiny-roberta', { 'model.safetensors': safetensorsBytes(tensors) });
    const config = await readBertConfig(source);
    const weights = await loadBertWeights(source, config);
    expect([...weights.report.ignored].sort()).toEqual([...heads].sort());
    expect(weights.report).toMatchObject({ unexpected: [], missing: [], poolerInitialised: false });
    expect(weights.encoder.has('embeddings.token_type_embeddings.weight')).toBe(true);
    expect(weights.encoder.get('embeddings.token_type_embeddings.weight')!.shape).toEqual([1, 32]);
  });

  it('unprefixed keys (RobertaModel.save_pretrained) load too, to the same hidden states', async () => {
    const tensors = await fixtureTensors('tiny-roberta');
    const bare = new Map([...tensors].map(([k, t]) => [k.slice('roberta.'.length), t]));
    const source = fixtureSource('tiny-roberta', { 'model.safetensors': safetensorsBytes(bare) });
    const config = await readBertConfig(source);
    const encoder = createEncoder(config, (await loadBertWeights(source, config)).encoder);
    const goldens = fixtureGoldens('tiny-roberta');
    const batch = toBatch(goldens.input_ids.map((ids, i) => ({ inputIds: ids, tokenTypeIds: goldens.token_type_ids![i], attentionMask: goldens.attention_mask[i] })), 1);
    const out = encoder.forward(batch, { training: false });
    const last = goldens.hidden_states.length - 1;
    expect(maxAbsDiff(await out.hiddenStates[last].array(), goldens.hidden_states[last])).toBeLessThan(1e-4);
    tf.dispose([...out.hiddenStates, out.mask]);
    disposeBatch(batch);
    encoder.dispose();
  });

  it('an input longer than the positions after the pad id is one clear error', async () => {
    const source = fixtureSource('tiny-roberta');
    const config = await readBertConfig(source);
    const encoder = createEncoder(config, (await loadBertWeights(source, config)).encoder);
    const T = config.max_position_embeddings - 1; // 65 > 66 - 1 - 1
    const batch = toBatch([{ inputIds: new Array(T).fill(5), tokenTypeIds: new Array(T).fill(0) }], 1);
    expect(() => encoder.forward(batch, { training: false })).toThrow(/sequence of 65 tokens is longer than the model's 64 positions \(max_position_embeddings 66, less the pad offset\)/);
    disposeBatch(batch);
    encoder.dispose();
  });
});

describe('RoBERTa and its tokenizer', () => {
  it("a tokenizer padding with another id than config.json's pad_token_id is refused (positions count from it)", async () => {
    const config = { ...fixtureConfig('tiny-roberta'), pad_token_id: 0 };
    const err = await errorOf(() => loadBertModel(fixtureSource('tiny-roberta', { 'config.json': JSON.stringify(config) })));
    expect(err.message).toBe("/fixtures/tiny-roberta/config.json: pad_token_id: pad_token_id is 0 but the tokenizer pads with id 1 (RoBERTa's positions are counted from the pad id: use the tokenizer files the model was trained with)");
  });
});
