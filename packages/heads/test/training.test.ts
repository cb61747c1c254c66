// A few Adam steps with dropout on a tiny fixed batch: for every head the loss (measured without
// dropout) falls well below its start, and no step leaks tensors.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { createHead, heads, SeededRng, SequenceClassifier, type Batch, type LabelSet } from '@maxpoolbert/core';
import '@maxpoolbert/heads';
import { crossEntropy, disposeBatch, lcg, makeBatch, tinyConfig, tinyEncoder, useCpu } from './helpers';

const STEPS = 20;
const config = tinyConfig({ hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1, initializer_range: 0.02 });
const H = config.hidden_size;

/** 8 rows of different lengths ([CLS] … [SEP]), padded to the longest. */
const ROWS8: number[][] = [
  [2, 10, 11, 12, 3],
  [2, 20, 21, 3],
  [2, 30, 31, 32, 33, 34, 3],
  [2, 13, 14, 3],
  [2, 22, 23, 24, 25, 3],
  [2, 35, 36, 3],
  [2, 15, 16, 17, 18, 19, 44, 3],
  [2, 26, 3],
];
const CLASSES = [0, 1, 2, 0, 1, 2, 0, 1];
const TARGETS = [0.9, -0.5, 0.2, 1.2, -0.8, 0.0, 0.6, -1.1];

let batch: Batch;
beforeAll(async () => {
  await useCpu();
  batch = makeBatch(ROWS8);
});
afterAll(() => disposeBatch(batch));

function build(type: string, labels: LabelSet): SequenceClassifier {
  const n = labels.problemType === 'regression' ? 1 : labels.names.length;
  const rand = lcg(5);
  const weight = tf.tidy(() => tf.variable(tf.tensor2d(Array.from({ length: n * H }, () => (rand() - 0.5) * 0.04), [n, H])));
  const bias = tf.tidy(() => tf.variable(tf.zeros([n])));
  return new SequenceClassifier(tinyEncoder(config, 77), createHead({ type }, config, new SeededRng(9)), labels, { weight, bias });
}

function mse(pred: tf.Tensor2D, targets: number[]): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(tf.reshape(pred, [-1]), tf.tensor1d(targets)))) as tf.Scalar);
}

/** Trains for STEPS Adam steps; returns the losses without dropout before and after, and tensor counts after each step. */
function train(model: SequenceClassifier, loss: (logits: tf.Tensor2D) => tf.Scalar, lr: number) {
  const evalLoss = () => tf.tidy(() => loss(model.logits(batch, { training: false })).dataSync()[0]!);
  const rng = new SeededRng(2024);
  const optimizer = tf.train.adam(lr);
  const varList = [...model.variables().values()];
  const before = evalLoss();
  const counts: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    optimizer.minimize(() => loss(model.logits(batch, { training: true, rng })), false, varList);
    counts.push(tf.memory().numTensors);
  }
  const after = evalLoss();
  optimizer.dispose();
  return { before, after, counts };
}

const CLASSIFY: LabelSet = { problemType: 'single_label_classification', names: ['a', 'b', 'c'] };

it('dropout is on while training (seeded: the same seed gives the same pass) and off otherwise', () => {
  const model = build('max-seq-mha', CLASSIFY);
  const pass = (training: boolean, rng?: SeededRng) => tf.tidy(() => model.logits(batch, { training, rng }).arraySync());
  const rng = new SeededRng(1);
  const [t1, t2] = [pass(true, rng), pass(true, rng)];
  expect(t1).not.toEqual(t2);
  expect(pass(true, new SeededRng(1))).toEqual(t1);
  expect(pass(false)).toEqual(pass(false));
  expect(pass(false)).not.toEqual(t1);
  model.dispose();
});

describe.each(heads.names())('%s', (type) => {
  it(`${STEPS} Adam steps with dropout lower the cross-entropy well below its start, without leaks`, () => {
    const baseline = tf.memory().numTensors;
    const model = build(type, CLASSIFY);
    const { before, after, counts } = train(model, (logits) => crossEntropy(logits, CLASSES), 1e-2);
    expect(before).toBeGreaterThan(0.9); // ≈ ln 3 with a near-zero classifier
    expect(after).toBeLessThan(0.5 * before);
    // Adam makes its slot variables on the first step; after that the count never moves.
    expect(counts.slice(1)).toEqual(counts.slice(1).map(() => counts[0]));
    // And it now gets (nearly) every training row right; chance is 1 in 3.
    const predicted = tf.tidy(() => tf.argMax(model.logits(batch, { training: false }), 1).arraySync() as number[]);
    expect(predicted.filter((p, i) => p === CLASSES[i]).length).toBeGreaterThanOrEqual(6);
    model.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});

describe('regression (num_labels 1, MSE)', () => {
  it.each(['max-seq-mha'])('%s: the squared error falls well below its start, without leaks', (type) => {
    const baseline = tf.memory().numTensors;
    const model = build(type, { problemType: 'regression', names: ['LABEL_0'] });
    const { before, after, counts } = train(model, (pred) => mse(pred, TARGETS), 1e-2);
    expect(before).toBeGreaterThan(0.4); // ≈ mean(target²) = 0.52 with a near-zero output
    expect(after).toBeLessThan(0.5 * before);
    expect(counts.slice(1)).toEqual(counts.slice(1).map(() => counts[0]));
    model.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
