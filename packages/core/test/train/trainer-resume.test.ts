// Resuming fineTune from a checkpoint (state + optimizer moments + weights, all copied out in
// onCheckpoint as a CLI would save them) finishes with exactly the weights, losses and evaluations
// of the uninterrupted run, on the deterministic JS CPU backend, with dropout and shuffling on.
// Also: evaluating every N steps.
import * as tf from '@tensorflow/tfjs-core';
import {
  fineTune,
  MaxPoolBertError,
  type HostTensor,
  type OptimizerSnapshot,
  type TrainerState,
  type TrainOptions,
} from '@maxpoolbert/core';
import { buildModel, errorOf, loadWeights, sameWeights, sentimentDataset, snapshot, tokenizer, trainOptions, useCpu } from './helpers';

beforeAll(async () => {
  await useCpu();
  tf.enableProdMode();
});

const train = sentimentDataset(32, 32, 1, 'train.tsv');
const dev = sentimentDataset(32, 16, 2, 'dev.tsv');

interface Saved {
  state: TrainerState;
  optimizer: OptimizerSnapshot;
  weights: Map<string, HostTensor>;
}

/** A deep copy, as writing the checkpoint to disk and reading it back would give. */
function copyOptimizer(o: OptimizerSnapshot): OptimizerSnapshot {
  const moments = new Map<string, HostTensor>();
  for (const [name, t] of o.moments) {
    moments.set(name, { dtype: t.dtype, shape: t.shape.slice(), data: t.dtype === 'int32' ? Int32Array.from(t.data) : Float32Array.from(t.data) });
  }
  return { step: o.step, moments };
}

/** Runs to the end, saving every checkpoint; returns the final state and weights. */
async function runSaving(options: TrainOptions) {
  const model = buildModel();
  const saved: Saved[] = [];
  const state = await fineTune({
    model, tokenizer, train, dev, metrics: ['accuracy', 'f1'], mainMetric: 'accuracy', options,
    callbacks: {
      onCheckpoint: async (s, optimizer) => {
        saved.push({ state: structuredClone(s), optimizer: copyOptimizer(optimizer), weights: await snapshot(model) });
      },
    },
  });
  const weights = await snapshot(model);
  model.dispose();
  return { state, weights, saved };
}

/** A fresh process's view: a new model holding the checkpoint's weights, resumed from its state. */
async function resumeFrom(checkpoint: Saved, options: TrainOptions) {
  const model = buildModel({ seed: 99 }); // different initial weights: all of them must come from the checkpoint
  loadWeights(model, checkpoint.weights);
  const steps: number[] = [];
  const state = await fineTune({
    model, tokenizer, train, dev, metrics: ['accuracy', 'f1'], mainMetric: 'accuracy', options,
    resume: { state: structuredClone(checkpoint.state), optimizer: copyOptimizer(checkpoint.optimizer) },
    callbacks: { onStep: (p) => void steps.push(p.step) },
  });
  const weights = await snapshot(model);
  model.dispose();
  return { state, weights, steps };
}

const withoutTimes = (s: TrainerState) => ({ ...s, elapsedMs: 0, history: s.history.map((h) => ({ ...h, elapsedMs: 0 })) });

describe('evaluating every epoch: resume from the end of epoch 1', () => {
  const options = trainOptions({ epochs: 2, learningRate: 5e-3, seed: 21 });
  let full: Awaited<ReturnType<typeof runSaving>>;
  beforeAll(async () => {
    full = await runSaving(options);
  });

  it('checkpoints after each epoch, at the start of the next', () => {
    expect(full.saved.map((c) => [c.state.step, c.state.epoch, c.state.batchInEpoch, c.optimizer.step])).toEqual([[8, 1, 0, 8], [16, 2, 0, 16]]);
    expect(full.saved[1]!.state.finished).toBe(true);
    // The optimizer snapshot has both moments of every trained variable.
    const names = [...full.weights.keys()];
    expect([...full.saved[0]!.optimizer.moments.keys()].sort()).toEqual([...names.map((n) => `m/${n}`), ...names.map((n) => `v/${n}`)].sort());
  });

  it('the resumed run ends with exactly the uninterrupted run\'s weights, losses and evaluations', async () => {
    const resumed = await resumeFrom(full.saved[0]!, options);
    expect(resumed.steps).toEqual([9, 10, 11, 12, 13, 14, 15, 16]);
    expect(sameWeights(resumed.weights, full.weights)).toBe(true);
    expect(withoutTimes(resumed.state)).toEqual(withoutTimes(full.state));
  });

  it('a finished checkpoint resumes to nothing: no step, the same state back', async () => {
    const resumed = await resumeFrom(full.saved[1]!, options);
    expect(resumed.steps).toEqual([]);
    expect(sameWeights(resumed.weights, full.weights)).toBe(true);
    expect(resumed.state.step).toBe(16);
  });

  it('refuses a checkpoint made for a different number of steps', async () => {
    const model = buildModel();
    const err = await errorOf(() => fineTune({
      model, tokenizer, train, dev, metrics: ['accuracy'], mainMetric: 'accuracy', options: { ...options, epochs: 3 },
      resume: { state: structuredClone(full.saved[0]!.state), optimizer: full.saved[0]!.optimizer },
    }));
    model.dispose();
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toMatch(/made for 16 steps but these settings give 24/);
  });
});

describe('evaluating every 3 steps: resume from the middle of an epoch', () => {
  const options = trainOptions({ epochs: 2, learningRate: 5e-3, seed: 21, evalEvery: 3 });
  let full: Awaited<ReturnType<typeof runSaving>>;
  beforeAll(async () => {
    full = await runSaving(options);
  });

  it('evaluates and checkpoints every 3 steps and once at the end', () => {
    expect(full.state.history.map((h) => h.step)).toEqual([3, 6, 9, 12, 15, 16]);
    expect(full.saved.map((c) => [c.state.step, c.state.epoch, c.state.batchInEpoch])).toEqual([
      [3, 0, 3], [6, 0, 6], [9, 1, 1], [12, 1, 4], [15, 1, 7], [16, 2, 0],
    ]);
    expect(full.saved.map((c) => c.state.finished)).toEqual([false, false, false, false, false, true]);
    // trainLoss covers the steps since the previous evaluation.
    const h = full.state.history;
    expect(h[5]!.trainLoss).toBeCloseTo(full.state.losses[15]!, 10);
    expect(h[1]!.trainLoss).toBeCloseTo((full.state.losses[3]! + full.state.losses[4]! + full.state.losses[5]!) / 3, 10);
  });

  it('evaluating more often does not change the training itself (same seed, same weights as evaluating per epoch)', async () => {
    const perEpoch = await runSaving({ ...options, evalEvery: undefined });
    expect(sameWeights(full.weights, perEpoch.weights)).toBe(true);
    expect(full.state.losses).toEqual(perEpoch.state.losses);
  });

  it.each([[1], [3]])('resuming from checkpoint %i (mid-epoch) gives exactly the uninterrupted result', async (index) => {
    const checkpoint = full.saved[index]!;
    const resumed = await resumeFrom(checkpoint, options);
    expect(resumed.steps).toEqual(Array.from({ length: 16 - checkpoint.state.step }, (_, i) => checkpoint.state.step + i + 1));
    expect(sameWeights(resumed.weights, full.weights)).toBe(true);
    expect(withoutTimes(resumed.state)).toEqual(withoutTimes(full.state));
  });

  it('a stale random state (dropout RNG not restored) would give different weights: the test can tell', async () => {
    const checkpoint = full.saved[3]!;
    const stale: Saved = { ...checkpoint, state: { ...structuredClone(checkpoint.state), rng: full.saved[0]!.state.rng } };
    const resumed = await resumeFrom(stale, options);
    expect(sameWeights(resumed.weights, full.weights)).toBe(false);
  });
});
