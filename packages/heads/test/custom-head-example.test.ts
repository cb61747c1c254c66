import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  classifierFolderFiles, heads, initBertParameters, loadClassifier, MemoryModelSource, modelFolderFiles, parseBertConfig,
  SeededRng, toBatch, disposeBatch, type LoadedClassifier,
} from '@maxpoolbert/core';
import '../examples/scalar-mix-head';

/** The documented third-party head example: registered by import, trained, saved and reloaded. */
const config = parseBertConfig({
  vocab_size: 12, hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 32, max_position_embeddings: 16,
});
const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'good', 'great', 'fine', 'bad', 'awful', 'poor', 'movie'].join('\n');

function folder(files: Map<string, Uint8Array[]>): MemoryModelSource {
  return new MemoryModelSource(new Map([...files].map(([name, chunks]) => [name, Buffer.concat(chunks)])));
}

const texts = ['good movie', 'great movie', 'fine movie', 'good great', 'bad movie', 'awful movie', 'poor movie', 'bad awful'];
const labels = [1, 1, 1, 1, 0, 0, 0, 0];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

it('registers on import like a built-in head', () => {
  expect(heads.has('scalar-mix')).toBe(true);
});

it('trains: the loss falls, and a saved model reloads with identical logits', async () => {
  const base = folder(modelFolderFiles({ config, tensors: initBertParameters(config, 5), vocabText: vocab, tokenizerConfig: { do_lower_case: true } }));
  const loaded: LoadedClassifier = await loadClassifier(base, {
    head: { type: 'scalar-mix' }, labels: { problemType: 'single_label_classification', names: ['neg', 'pos'] }, seed: 3,
  });
  expect(loaded.newlyInitialised).toEqual(['head.scalar_mix.weights', 'head.scalar_mix.gamma', 'classifier.weight', 'classifier.bias']);
  const { model, tokenizer } = loaded;
  const batch = toBatch(tokenizer.encodeBatch(texts), tokenizer.padId);
  const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 2);
  const loss = (training: boolean, rng?: SeededRng) => tf.tidy(() => tf.losses.softmaxCrossEntropy(y, model.logits(batch, { training, rng })) as tf.Scalar);
  const evalLoss = async () => {
    const l = loss(false);
    const v = (await l.data())[0];
    l.dispose();
    return v;
  };

  const before = await evalLoss();
  const mixBefore = await model.head.variables().get('scalar_mix.weights')!.array();
  const optimizer = tf.train.adam(0.01);
  const rng = new SeededRng(9);
  const vars = [...model.variables().values()];
  for (let step = 0; step < 25; step++) {
    optimizer.minimize(() => loss(true, rng), false, vars); // returnCost false: returns nothing to dispose
  }
  const after = await evalLoss();
  expect(after).toBeLessThan(0.5 * before);
  // The head's own parameters were trained too.
  expect(await model.head.variables().get('scalar_mix.weights')!.array()).not.toEqual(mixBefore);

  const saved = folder(await classifierFolderFiles(model, loaded.config, loaded.tokenizerFiles));
  const again = await loadClassifier(saved);
  expect(again.newlyInitialised).toEqual([]);
  expect(again.model.head.spec.type).toBe('scalar-mix');
  const a = model.logits(batch, { training: false });
  const b = again.model.logits(batch, { training: false });
  expect(await b.array()).toEqual(await a.array());
  expect(again.model.labels.names).toEqual(['neg', 'pos']);

  tf.dispose([a, b, y]);
  disposeBatch(batch);
  optimizer.dispose();
  model.dispose();
  again.model.dispose();
});
