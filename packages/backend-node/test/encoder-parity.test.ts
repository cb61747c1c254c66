import * as tf from '@tensorflow/tfjs-core';
import { BertEncoder, loadBertWeights, readBertConfig, SeededRng, toBatch, disposeBatch, type BertConfig, type HostTensor } from '@maxpoolbert/core';
import { FsModelSource, useNodeBackend } from '../src/index';
import { maxAbsDiff, readTinyBertGoldens, TINY_BERT_DIR } from '../../../testing/shared-fixtures';

/**
 * One spec, run on every CPU backend available in Node: the encoder must reproduce the
 * independent reference's hidden states (every layer, every token, padding included) and pooler.
 */
const goldens = readTinyBertGoldens();
const TOLERANCE = 1e-4;

let config: BertConfig;
let weights: Map<string, HostTensor>;

beforeAll(async () => {
  const source = await FsModelSource.open(TINY_BERT_DIR);
  config = await readBertConfig(source);
  weights = (await loadBertWeights(source, config)).encoder;
});

function goldenBatch() {
  return toBatch(
    goldens.input_ids.map((ids, i) => ({ inputIds: ids, tokenTypeIds: goldens.token_type_ids[i], attentionMask: goldens.attention_mask[i] })),
    0,
  );
}

describe.each(['cpu', 'wasm'])('BERT encoder on the %s backend', (backendName) => {
  let encoder: BertEncoder;

  beforeAll(async () => {
    const info = await useNodeBackend({ prefer: backendName });
    expect(tf.getBackend()).toBe(info.tfBackend);
    encoder = new BertEncoder(config, weights);
  });
  afterAll(() => encoder.dispose());

  it('matches every golden hidden state and the pooler output to 1e-4', async () => {
    const batch = goldenBatch();
    const out = encoder.forward(batch, { training: false });
    expect(out.hiddenStates).toHaveLength(config.num_hidden_layers + 1);
    for (let layer = 0; layer < out.hiddenStates.length; layer++) {
      const diff = maxAbsDiff(await out.hiddenStates[layer].array(), goldens.hidden_states[layer]);
      expect({ layer, diff: diff < TOLERANCE ? 'ok' : diff }).toEqual({ layer, diff: 'ok' });
    }
    const cls = tf.tidy(() => tf.squeeze(tf.slice(out.hiddenStates[config.num_hidden_layers], [0, 0, 0], [-1, 1, -1]), [1]) as tf.Tensor2D);
    const pooled = encoder.pool(cls);
    expect(maxAbsDiff(await pooled.array(), goldens.pooler_output)).toBeLessThan(TOLERANCE);
    expect(await out.mask.array()).toEqual(goldens.attention_mask);
    tf.dispose([...out.hiddenStates, out.mask, cls, pooled]);
    disposeBatch(batch);
  });

  it('leaks no tensors over 20 forward passes', () => {
    const batch = goldenBatch();
    const run = () => {
      const out = encoder.forward(batch, { training: false });
      tf.dispose([...out.hiddenStates, out.mask]);
    };
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    disposeBatch(batch);
  });

  it('applies seeded dropout only when training', async () => {
    const batch = goldenBatch();
    const last = async (training: boolean, seed: number) => {
      const out = encoder.forward(batch, { training, rng: new SeededRng(seed) });
      const values = await out.hiddenStates[config.num_hidden_layers].array();
      tf.dispose([...out.hiddenStates, out.mask]);
      return values;
    };
    const evalRun = await last(false, 1);
    expect(maxAbsDiff(evalRun, goldens.hidden_states[config.num_hidden_layers])).toBeLessThan(TOLERANCE);
    const a = await last(true, 7);
    const b = await last(true, 7);
    const c = await last(true, 8);
    expect(a).toEqual(b); // same seed, same masks
    expect(maxAbsDiff(a, c)).toBeGreaterThan(1e-3); // another seed, other masks
    expect(maxAbsDiff(a, evalRun)).toBeGreaterThan(1e-3);
    expect(() => encoder.forward(batch, { training: true })).toThrow(/needs a seeded rng/);
    disposeBatch(batch);
  });

  it('computes gradients for every parameter, embeddings included', async () => {
    const batch = goldenBatch();
    const { value, grads } = tf.variableGrads(() => {
      const out = encoder.forward(batch, { training: false });
      return tf.mean(tf.square(out.hiddenStates[config.num_hidden_layers])) as tf.Scalar;
    });
    const names = new Map([...encoder.variables()].map(([name, v]) => [v.name, name]));
    const missing = [...names.keys()].filter((id) => !grads[id] && !names.get(id)!.startsWith('pooler.'));
    expect(missing).toEqual([]);
    // Only the rows of ids that occur get a gradient, and it matches a direct sum over occurrences.
    const wordGrad = grads[encoder.variables().get('embeddings.word_embeddings.weight')!.name];
    const rowNorms = (await tf.tidy(() => tf.sum(tf.abs(wordGrad), 1)).array()) as number[];
    const used = new Set(goldens.input_ids.flat());
    rowNorms.forEach((norm, id) => {
      if (!used.has(id)) expect(norm).toBe(0);
    });
    expect(rowNorms[goldens.input_ids[0][1]]).toBeGreaterThan(0);
    expect(Number.isFinite((await value.data())[0])).toBe(true);
    tf.dispose([value, ...Object.values(grads)]);
    disposeBatch(batch);
  });
});
