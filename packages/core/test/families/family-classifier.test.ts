// A classifier over RoBERTa / DistilBERT: saved folders keep the family's names and config keys
// (so PyTorch code reads them), reload to identical logits; `pooler: false` and the heads.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { MaxPoolBertError } from '../../src/errors.js';
import { MemoryModelSource } from '../../src/io/model-source.js';
import { disposeBatch, toBatch } from '../../src/model/batch.js';
import { classifierFolderFiles } from '../../src/model/classifier-folder.js';
import { resolveHeadSpec } from '../../src/model/head-spec.js';
import { defaultLabels } from '../../src/model/labels.js';
import { loadBertWeights, readBertConfig } from '../../src/model/load-bert.js';
import { buildSequenceClassifier, loadClassifier } from '../../src/model/load-classifier.js';
import { clsVector } from '../../src/model/pooling.js';
import type { SequenceClassifier } from '../../src/model/sequence-classifier.js';
import { SeededRng } from '../../src/random/seeded-rng.js';
import { registerHead } from '../../src/registry/heads.js';
import { concatChunks, readSafetensors } from '../../src/weights/index.js';
import { errorOf } from '../model/helpers.js';
import { fixtureGoldens, fixtureSource, type FixtureName } from './fixtures.js';

// The first token through the pooler (by default), like the cls head: core's tests cannot use @maxpoolbert/heads.
const HEAD = 'family-test-first-token';
registerHead(HEAD, (spec, config) => ({
  spec: resolveHeadSpec(spec, config, { usePooler: true }),
  vector: (out) => clsVector(out.hiddenStates[out.hiddenStates.length - 1]!),
  variables: () => new Map(),
  dispose: () => undefined,
}), { override: true });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function savedFolder(model: SequenceClassifier, source: MemoryModelSource, tokenizerFiles = new Map<string, Uint8Array>()): Promise<MemoryModelSource> {
  const config = await readBertConfig(source);
  const files = await classifierFolderFiles(model, config, tokenizerFiles);
  return new MemoryModelSource(new Map([...files].map(([name, chunks]) => [name, concatChunks(chunks)])), '/saved');
}

async function logitsOf(model: SequenceClassifier, name: FixtureName, padId: number): Promise<Float32Array> {
  const goldens = fixtureGoldens(name);
  const batch = toBatch(goldens.input_ids.map((ids, i) => ({ inputIds: ids, tokenTypeIds: ids.map(() => 0), attentionMask: goldens.attention_mask[i] })), padId);
  const logits = model.logits(batch, { training: false });
  const data = (await logits.data()) as Float32Array;
  tf.dispose(logits);
  disposeBatch(batch);
  return data;
}

describe('a fine-tuned DistilBERT folder', () => {
  it("keeps distilbert.* keys (with the trained pooler) and DistilBERT's config keys, and reloads to identical logits", async () => {
    const before = tf.memory().numTensors;
    const source = fixtureSource('tiny-distilbert');
    const loaded = await loadClassifier(source, { head: { type: HEAD }, labels: defaultLabels(3), seed: 5 });
    expect(loaded.report.poolerInitialised).toBe(true);
    const saved = await savedFolder(loaded.model, source, loaded.tokenizerFiles);

    const keys = [...(await readSafetensors(saved, 'model.safetensors')).keys()];
    expect(keys.filter((k) => !k.startsWith('distilbert.') && !k.startsWith('classifier.'))).toEqual([]);
    expect(keys).toEqual(expect.arrayContaining([
      'distilbert.transformer.layer.1.attention.q_lin.weight', 'distilbert.transformer.layer.0.ffn.lin2.bias',
      'distilbert.embeddings.position_embeddings.weight', 'distilbert.pooler.dense.weight', 'classifier.weight',
    ]));
    const json = JSON.parse(await saved.readText('config.json')) as Record<string, unknown>;
    expect(json).toMatchObject({ model_type: 'distilbert', dim: 32, n_layers: 2, n_heads: 4, hidden_dim: 64, architectures: ['MaxPoolBertForSequenceClassification'] });
    expect(json).not.toHaveProperty('hidden_size');
    expect(json).not.toHaveProperty('maxpoolbert_pooler');
    expect(await saved.has('vocab.txt')).toBe(true);

    const again = await loadClassifier(saved, {});
    expect(again.report).toMatchObject({ poolerInitialised: false, unexpected: [], missing: [], ignored: [] });
    expect(again.newlyInitialised).toEqual([]);
    expect(await logitsOf(again.model, 'tiny-distilbert', 0)).toEqual(await logitsOf(loaded.model, 'tiny-distilbert', 0));
    loaded.model.dispose();
    again.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('a fine-tuned RoBERTa folder', () => {
  it('keeps roberta.* keys, which load back bit-identical', async () => {
    const source = fixtureSource('tiny-roberta');
    const config = await readBertConfig(source);
    const weights = await loadBertWeights(source, config);
    const original = new Map([...weights.encoder].map(([k, t]) => [k, t.data]));
    const model = buildSequenceClassifier({ config, encoderWeights: weights.encoder, head: { type: HEAD }, labels: defaultLabels(2), rng: new SeededRng(1) });
    const saved = await savedFolder(model, source);
    const keys = [...(await readSafetensors(saved, 'model.safetensors')).keys()];
    expect(keys.filter((k) => !k.startsWith('roberta.') && !k.startsWith('classifier.'))).toEqual([]);
    expect(keys).toContain('roberta.encoder.layer.0.attention.self.query.weight');
    expect(JSON.parse(await saved.readText('config.json'))).toMatchObject({ model_type: 'roberta', type_vocab_size: 1, pad_token_id: 1 });

    const back = await loadBertWeights(saved, await readBertConfig(saved));
    expect(back.report).toMatchObject({ missing: [], poolerInitialised: false, ignored: [] });
    expect([...back.rest.keys()].sort()).toEqual(['classifier.bias', 'classifier.weight']);
    for (const [name, data] of original) expect([name, back.encoder.get(name)!.data]).toEqual([name, data]);
    model.dispose();
  });
});

describe('pooler: false (--no-pooler)', () => {
  it('a head that applies the pooler is one error naming the head and the flag, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const err = await errorOf(() => loadClassifier(fixtureSource('tiny-distilbert'), { head: { type: HEAD }, pooler: false }));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toBe(`use_pooler: head "${HEAD}" applies the pooler, but the model was built without one (--no-pooler) (pass --pooler off for head "${HEAD}", or drop --no-pooler)`);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with the pooler off, the model has none; its saved folder says so and reloads without one', async () => {
    const source = fixtureSource('tiny-distilbert');
    const loaded = await loadClassifier(source, { head: { type: HEAD, usePooler: false }, pooler: false });
    expect(loaded.model.encoder.hasPooler).toBe(false);
    expect(loaded.report).toMatchObject({ pooler: false, poolerInitialised: false });
    const saved = await savedFolder(loaded.model, source, loaded.tokenizerFiles);
    expect([...(await readSafetensors(saved, 'model.safetensors')).keys()].some((k) => k.includes('pooler'))).toBe(false);
    expect(JSON.parse(await saved.readText('config.json'))).toMatchObject({ maxpoolbert_pooler: false });
    const again = await loadClassifier(saved);
    expect(again.model.encoder.hasPooler).toBe(false);
    expect(again.report).toMatchObject({ pooler: false, poolerInitialised: false });
    expect(await logitsOf(again.model, 'tiny-distilbert', 0)).toEqual(await logitsOf(loaded.model, 'tiny-distilbert', 0));
    loaded.model.dispose();
    again.model.dispose();
  });
});

describe('model_type', () => {
  it('an unknown one is one error listing the supported types', async () => {
    const err = await errorOf(() => readBertConfig(fixtureSource('tiny-distilbert', { 'config.json': '{"model_type": "gpt2"}' })));
    expect(err.message).toMatch(/^\/fixtures\/tiny-distilbert\/config\.json: model_type: "gpt2" is not supported \(supported: bert, maxpoolbert, roberta, distilbert/);
  });
});
