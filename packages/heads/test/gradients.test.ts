// Analytic gradients (tf.variableGrads through encoder, head, pooler and classifier) against
// central finite differences, for every registered head, on a padded batch without dropout.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { createHead, heads, SeededRng, SequenceClassifier, type Batch } from '@maxpoolbert/core';
import '@maxpoolbert/heads';
import { crossEntropy, disposeBatch, lcg, makeBatch, ROWS, tinyConfig, tinyEncoder, useCpu } from './helpers';

/**
 * Central differences in float32. The criterion is per coordinate:
 * |analytic − numeric| / max(|analytic|, |numeric|, 1e-3) < 1e-2, so coordinates whose gradient
 * is ~0 are judged against the 1e-3 floor, i.e. |a − n| < 1e-5.
 * The first step is ε = 1e-2: smaller steps let the loss's float32 rounding dominate small
 * gradients. But with max pooling (max, max-cls, max-seq-mha) the loss is only piecewise smooth:
 * a step that moves some hidden value past another layer's or token's changes which one is the
 * max, and that difference quotient is wrong although the gradient is right. So a coordinate
 * that disagrees at ε = 1e-2 is retried at 3e-3 and 1e-3 (passing if any agrees), and at least
 * 80% of all coordinates must agree at the first step, so the retries cannot hide a wrong
 * gradient (which would disagree at every step).
 */
const STEPS = [1e-2, 3e-3, 1e-3];
const FLOOR = 1e-3;
const TOL = 1e-2;
const SAMPLES = 10;

const config = tinyConfig();
const L = config.num_hidden_layers;
const H = config.hidden_size;
const LABELS = [0, 2, 1, 2];
const realIds = [...new Set(ROWS.flat())];

let batch: Batch;
beforeAll(async () => {
  await useCpu();
  batch = makeBatch(ROWS);
});
afterAll(() => disposeBatch(batch));

function build(type: string): SequenceClassifier {
  const encoder = tinyEncoder(config, 4321);
  const head = createHead({ type }, config, new SeededRng(3));
  const rand = lcg(11);
  const randn = (n: number, scale: number) => Array.from({ length: n }, () => (rand() - 0.5) * 2 * scale);
  // Non-zero biases everywhere that matters, so their gradients are exercised too.
  for (const [name, v] of head.variables()) if (name.endsWith('bias')) tf.tidy(() => v.assign(tf.tensor(randn(v.size, 0.3), v.shape)));
  tf.tidy(() => encoder.variables().get('pooler.dense.bias')!.assign(tf.tensor1d(randn(H, 0.3))));
  const weight = tf.tidy(() => tf.variable(tf.tensor2d(randn(3 * H, 0.5), [3, H])));
  const bias = tf.tidy(() => tf.variable(tf.tensor1d(randn(3, 0.5))));
  return new SequenceClassifier(encoder, head, { problemType: 'single_label_classification', names: ['a', 'b', 'c'] }, { weight, bias });
}

/** Loss value as a JS number, with no tensors left behind. */
function lossValue(model: SequenceClassifier): number {
  return tf.tidy(() => crossEntropy(model.logits(batch, { training: false }), LABELS).dataSync()[0]!);
}

/** Central difference of the loss along one coordinate of `v` (restored afterwards). */
function numericGrad(model: SequenceClassifier, v: tf.Variable, index: number, eps: number): number {
  const original = v.dataSync().slice() as Float32Array;
  const at = (x: number) => {
    const data = original.slice();
    data[index] = x;
    tf.tidy(() => v.assign(tf.tensor(data, v.shape)));
    return lossValue(model);
  };
  const up = Math.fround(original[index]! + eps);
  const down = Math.fround(original[index]! - eps);
  const g = (at(up) - at(down)) / (up - down);
  tf.tidy(() => v.assign(tf.tensor(original, v.shape)));
  return g;
}

interface Coord { group: string; name: string; index: number }

function sampleCoordinates(model: SequenceClassifier, type: string): Coord[] {
  const vars = model.variables();
  const rand = lcg(type.length * 7919 + 1);
  const pick = (n: number) => Math.floor(rand() * n);
  const coords: Coord[] = [];
  const uniformIn = (group: string, names: string[]) => {
    for (let i = 0; i < SAMPLES; i++) {
      const name = names[i % names.length]!;
      coords.push({ group, name, index: pick(vars.get(name)!.size) });
    }
  };
  const headNames = [...vars.keys()].filter((k) => k.startsWith('head.'));
  if (headNames.length) uniformIn('head', headNames);
  uniformIn('classifier', ['classifier.weight']);
  uniformIn('pooler', ['bert.pooler.dense.weight']);
  uniformIn('last layer', [
    `bert.encoder.layer.${L - 1}.attention.self.value.weight`,
    `bert.encoder.layer.${L - 1}.output.dense.weight`,
    `bert.encoder.layer.${L - 1}.output.LayerNorm.weight`,
  ]);
  for (let i = 0; i < SAMPLES; i++) {
    const id = realIds[pick(realIds.length)]!;
    coords.push({ group: 'word embeddings', name: 'bert.embeddings.word_embeddings.weight', index: id * H + pick(H) });
  }
  return coords;
}

describe.each(heads.names())('%s', (type) => {
  it('analytic gradients match central finite differences', () => {
    const model = build(type);
    const vars = model.variables();
    const coords = sampleCoordinates(model, type);
    const names = [...new Set(coords.map((c) => c.name))];
    const { value, grads } = tf.variableGrads(() => crossEntropy(model.logits(batch, { training: false }), LABELS), names.map((n) => vars.get(n)!));
    expect(Math.abs(value.dataSync()[0]! - lossValue(model))).toBeLessThan(1e-6);
    // variableGrads leaves out variables the loss does not depend on (the pooler of mean / max).
    const analytic = new Map(names.map((n) => [n, grads[vars.get(n)!.name]?.dataSync() ?? new Float32Array(vars.get(n)!.size)]));
    tf.dispose([value, ...Object.values(grads)]);

    const rows = coords.map((c) => {
      const a = analytic.get(c.name)![c.index]!;
      let n = NaN;
      let rel = Infinity;
      let step = 0;
      for (; step < STEPS.length && !(rel < TOL); step++) {
        n = numericGrad(model, vars.get(c.name)!, c.index, STEPS[step]!);
        rel = Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), FLOOR);
      }
      return { ...c, a, n, rel, steps: step };
    });
    if (process.env.GRAD_DEBUG) console.log(type, rows.map((r) => `${r.group} ${r.a.toExponential(3)} ${r.n.toExponential(3)} ${r.rel.toExponential(2)} ${r.steps}`).join('\n'));
    expect(rows.filter((r) => !(r.rel < TOL))).toEqual([]);
    expect(rows.filter((r) => r.steps === 1).length).toBeGreaterThanOrEqual(0.8 * rows.length);
    // Not vacuous: every group has sizeable gradients, except the pooler when the head skips it
    // (mean, max), whose gradient must then be exactly zero.
    for (const group of new Set(rows.map((r) => r.group))) {
      const largest = Math.max(...rows.filter((r) => r.group === group).map((r) => Math.abs(r.a)));
      if (group === 'pooler' && !model.head.spec.usePooler) expect([group, largest]).toEqual([group, 0]);
      else expect([group, largest > 5 * FLOOR]).toEqual([group, true]);
    }
    // Padding never gets a gradient: the pad id's embedding row (used only at padding) has none.
    const padRow = analytic.get('bert.embeddings.word_embeddings.weight')!.subarray(0, H);
    expect(Math.max(...Array.from(padRow, Math.abs))).toBe(0);
    model.dispose();
  });
});
