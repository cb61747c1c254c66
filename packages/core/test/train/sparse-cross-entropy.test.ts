import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../../src/model/gradients'; // tfjs's gradients, for the reference's own autodiff
import { sparseSoftmaxCrossEntropy } from '../../src/train/sparse-cross-entropy';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The textbook form through tfjs's own autodiff: -mean(sum(onehot · logSoftmax)). */
const reference = (logits: tf.Tensor2D, labels: tf.Tensor1D) =>
  tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(labels, logits.shape[1])), 1))) as tf.Scalar;

it('gives the loss and the gradient of softmax cross-entropy, with no tensor left behind', async () => {
  // Large logits too: the closed form must stay as stable as logSoftmax.
  const values = Array.from({ length: 5 * 7 }, (_, i) => Math.sin(i * 1.7) * (i % 5 === 0 ? 80 : 3));
  const logits = tf.tensor2d(values, [5, 7]);
  const labels = tf.tensor1d([0, 6, 3, 3, 1], 'int32');
  const before = tf.memory().numTensors;
  const ours = tf.valueAndGrad((x: tf.Tensor) => sparseSoftmaxCrossEntropy(x as tf.Tensor2D, labels))(logits);
  const theirs = tf.valueAndGrad((x: tf.Tensor) => reference(x as tf.Tensor2D, labels))(logits);
  expect(Math.abs((await ours.value.data())[0] - (await theirs.value.data())[0])).toBeLessThan(1e-5);
  const [a, b] = [await ours.grad.data(), await theirs.grad.data()];
  expect(Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])))).toBeLessThan(1e-6);
  // Each row's gradient sums to 0 and is −(1 − p)/N at the label.
  expect(Math.abs(Array.from(a.slice(0, 7)).reduce((s, v) => s + v, 0))).toBeLessThan(1e-6);
  tf.dispose([ours.value, ours.grad, theirs.value, theirs.grad]);
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([logits, labels]);
});

it('reads float labels as class ids', async () => {
  const logits = tf.tensor2d([[1, 2, 3], [3, 2, 1]]);
  const loss = sparseSoftmaxCrossEntropy(logits, tf.tensor1d([2, 0]));
  const expected = -Math.log(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)));
  expect((await loss.data())[0]).toBeCloseTo(expected, 5);
});
