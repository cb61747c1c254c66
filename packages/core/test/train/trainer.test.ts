// fineTune end to end on a tiny in-memory BERT (JS CPU backend): it learns a small sentiment task,
// keeps its step/epoch bookkeeping straight, follows the warm-up/decay schedule, accumulates
// gradients correctly, is reproducible from its seed, stops early, catches divergence and does
// not leak tensors.
import * as tf from '@tensorflow/tfjs-core';
import {
  evaluate,
  fineTune,
  MaxPoolBertError,
  type EvalRecord,
  type HostTensor,
  type StepProgress,
  type TrainerState,
  type TrainOptions,
} from '@maxpoolbert/core';
import {
  buildModel,
  errorOf,
  maxWeightDiff,
  sameWeights,
  sentimentDataset,
  snapshot,
  snapshotSync,
  tokenizer,
  trainOptions,
  useCpu,
} from './helpers';

beforeAll(async () => {
  await useCpu();
  tf.enableProdMode(); // as the CLI runs it; skips tfjs's debug-only checks
});

const train = sentimentDataset(32, 32, 1, 'train.tsv');
// 2:1 positive, so always answering "positive" already scores 2/3.
const dev = sentimentDataset(32, 16, 2, 'dev.tsv');
const MAJORITY = 32 / 48;

describe('a full run (64 examples, batch 8, 8 epochs, warm-up 10 %)', () => {
  const options = trainOptions({ epochs: 8, learningRate: 1e-2, warmupRatio: 0.1, seed: 11 });
  const BATCHES = 8; // ceil(64 / 8) per epoch
  const TOTAL = BATCHES * 8;
  const steps: StepProgress[] = [];
  const tensorCounts: number[] = [];
  const evaluations: { record: EvalRecord; improved: boolean }[] = [];
  const checkpoints: { step: number; epoch: number; batchInEpoch: number; optimizerStep: number; finished: boolean }[] = [];
  let state: TrainerState;
  let accuracyBefore: number;
  let tensorsBefore: number;
  let tensorsAfter: number;

  beforeAll(async () => {
    const model = buildModel();
    accuracyBefore = (await evaluate(model, tokenizer, dev, ['accuracy'], { batchSize: 16, maxLength: 16 })).metrics.accuracy!;
    tensorsBefore = tf.memory().numTensors;
    state = await fineTune({
      model, tokenizer, train, dev, metrics: ['accuracy', 'f1'], mainMetric: 'accuracy', options,
      callbacks: {
        onStep: (p) => {
          steps.push(p);
          tensorCounts.push(tf.memory().numTensors);
        },
        onEvaluation: (record, improved) => void evaluations.push({ record: structuredClone(record), improved }),
        onCheckpoint: async (s, optimizer) => {
          checkpoints.push({ step: s.step, epoch: s.epoch, batchInEpoch: s.batchInEpoch, optimizerStep: optimizer.step, finished: s.finished });
        },
      },
    });
    tensorsAfter = tf.memory().numTensors;
    model.dispose();
  });

  it('lowers the training loss and beats the majority baseline on dev', () => {
    const epochLoss = (e: number) => state.losses.slice(e * BATCHES, (e + 1) * BATCHES).reduce((a, b) => a + b, 0) / BATCHES;
    expect(epochLoss(0)).toBeGreaterThan(0.6); // ≈ ln 2 for a near-zero classifier
    expect(epochLoss(7)).toBeLessThan(0.5 * epochLoss(0));
    expect(accuracyBefore).toBeLessThanOrEqual(MAJORITY + 0.05);
    const best = Math.max(...state.history.map((h) => h.metrics.accuracy!));
    expect(best).toBeGreaterThanOrEqual(0.85);
    expect(best).toBeGreaterThan(MAJORITY + 0.15);
    expect(state.best.value).toBe(best);
  });

  it('keeps step, epoch and batch bookkeeping', () => {
    expect(state).toMatchObject({
      step: TOTAL, totalSteps: TOTAL, epoch: 8, batchInEpoch: 0, finished: true, stoppedEarly: false,
    });
    expect(state.losses).toHaveLength(TOTAL);
    expect(steps.map((p) => p.step)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
    expect(steps.every((p) => p.totalSteps === TOTAL)).toBe(true);
    expect(steps.map((p) => p.epoch)).toEqual(Array.from({ length: TOTAL }, (_, i) => Math.floor(i / BATCHES)));
    expect(steps.map((p) => p.loss)).toEqual(state.losses);
    // Clipping is on (max norm 1), so every step reports the norm before clipping.
    expect(steps.every((p) => Number.isFinite(p.gradNorm) && p.gradNorm > 0)).toBe(true);
    // One evaluation and one checkpoint at the end of every epoch.
    expect(state.history.map((h) => h.step)).toEqual([8, 16, 24, 32, 40, 48, 56, 64]);
    expect(evaluations.map((e) => e.record.step)).toEqual(state.history.map((h) => h.step));
    expect(checkpoints).toEqual(Array.from({ length: 8 }, (_, i) => ({
      step: (i + 1) * BATCHES, epoch: i + 1, batchInEpoch: 0, optimizerStep: (i + 1) * BATCHES, finished: i === 7,
    })));
    for (const h of state.history) {
      expect(Object.keys(h.metrics).sort()).toEqual(['accuracy', 'f1']);
      expect(Number.isFinite(h.loss) && Number.isFinite(h.trainLoss)).toBe(true);
      // trainLoss is the mean training loss since the previous evaluation.
      const own = state.losses.slice(h.step - BATCHES, h.step);
      expect(h.trainLoss).toBeCloseTo(own.reduce((a, b) => a + b, 0) / own.length, 10);
    }
  });

  it('tracks the best evaluation: improved exactly when the accuracy beats every earlier one', () => {
    let best = -Infinity;
    for (const { record, improved } of evaluations) {
      const acc = record.metrics.accuracy!;
      expect({ step: record.step, improved }).toEqual({ step: record.step, improved: acc > best });
      best = Math.max(best, acc);
    }
    const first = state.history.find((h) => h.metrics.accuracy === best)!;
    expect(state.best).toMatchObject({ metric: 'accuracy', value: best, step: first.step });
  });

  it('warms the learning rate up linearly to the peak, then decays it linearly to ~0', () => {
    const peak = options.learningRate;
    const W = Math.ceil(TOTAL * 0.1); // 7
    const lrs = steps.map((p) => p.learningRate);
    // The lr of step i (0-based): i/W·peak during warm-up, then (T − i)/(T − W)·peak.
    lrs.forEach((lr, i) => {
      const expected = i < W ? (peak * i) / W : (peak * (TOTAL - i)) / (TOTAL - W);
      expect({ i, lr }).toEqual({ i, lr: expect.closeTo(expected, 12) });
    });
    expect(lrs[0]).toBe(0);
    expect(Math.max(...lrs)).toBeCloseTo(peak, 12);
    expect(lrs.indexOf(Math.max(...lrs))).toBe(W);
    for (let i = 1; i <= W; i++) expect(lrs[i]).toBeGreaterThan(lrs[i - 1]);
    for (let i = W + 1; i < TOTAL; i++) expect(lrs[i]).toBeLessThan(lrs[i - 1]);
    expect(lrs[TOTAL - 1]).toBeLessThan(peak / 50);
  });

  it('does not leak tensors: the count is the same after every step, and back to the start at the end', () => {
    expect(tensorCounts).toHaveLength(TOTAL);
    // Step 1 creates AdamW's moments; from then on every step (and evaluation) frees what it makes.
    const steady = tensorCounts.slice(1);
    expect(steady).toEqual(steady.map(() => tensorCounts[1]));
    expect(tensorsAfter).toBe(tensorsBefore);
  });
});

describe('gradient accumulation', () => {
  /**
   * Two optimizer steps on 13 examples, batch 8: a full batch, then one of 5 that splits unevenly
   * into micro-batches. The lr is at its peak from the first step; no dropout.
   */
  async function twoSteps(gradientAccumulation: number) {
    const model = buildModel({ dropout: 0 });
    const before = await snapshot(model);
    const progress: StepProgress[] = [];
    let afterFirst: Map<string, HostTensor> | undefined;
    await fineTune({
      model, tokenizer, train: { ...train, examples: train.examples.slice(0, 13) }, metrics: ['accuracy'], mainMetric: 'accuracy',
      options: trainOptions({ epochs: 1, batchSize: 8, warmupRatio: 0, gradientAccumulation, learningRate: 1e-3 }),
      callbacks: {
        onStep: (p) => {
          progress.push(p);
          if (p.step === 1) afterFirst = snapshotSync(model);
        },
      },
    });
    const after = await snapshot(model);
    model.dispose();
    expect(progress.map((p) => p.step)).toEqual([1, 2]);
    return { before, afterFirst: afterFirst!, after, progress };
  }

  it('2 or 4 micro-batches give the same losses, gradient norms and updates as whole batches (dropout off)', async () => {
    const whole = await twoSteps(1);
    expect(maxWeightDiff(whole.before, whole.afterFirst)).toBeGreaterThan(5e-4); // the step did move the weights (≈ lr)
    for (const k of [2, 4]) {
      const split = await twoSteps(k);
      expect(sameWeights(split.before, whole.before)).toBe(true);
      split.progress.forEach((p, i) => {
        const w = whole.progress[i]!;
        expect(p.loss).toBeCloseTo(w.loss, 5);
        // The averaged gradient is the whole batch's: the uneven second batch (5 = 4 + 1, or
        // 2 + 2 + 1) weights its micro-batches by their sizes.
        expect({ k, step: p.step, relative: Math.abs(p.gradNorm - w.gradNorm) / w.gradNorm < 1e-5 }).toEqual({ k, step: p.step, relative: true });
      });
      // AdamW's first step moves each weight by ≈ lr·sign(g): equal gradients give equal updates.
      expect(maxWeightDiff(split.afterFirst, whole.afterFirst)).toBeLessThan(1e-6);
      expect(maxWeightDiff(split.after, whole.after)).toBeLessThan(1e-5);
    }
  });
});

describe('reproducibility', () => {
  async function run(seed: number, dropout?: number) {
    const model = buildModel({ dropout }); // the same initial weights every time
    const state = await fineTune({
      model, tokenizer, train: { ...train, examples: train.examples.slice(0, 32) }, dev, metrics: ['accuracy'], mainMetric: 'accuracy',
      options: trainOptions({ epochs: 1, seed }),
    });
    const weights = await snapshot(model);
    model.dispose();
    return { state, weights };
  }

  it('the same seed gives identical weights and losses; another seed (dropout, order) does not', async () => {
    const a = await run(3);
    const b = await run(3);
    const c = await run(4);
    expect(sameWeights(a.weights, b.weights)).toBe(true);
    expect(b.state.losses).toEqual(a.state.losses);
    expect(b.state.history.map((h) => h.metrics)).toEqual(a.state.history.map((h) => h.metrics));
    expect(maxWeightDiff(a.weights, c.weights)).toBeGreaterThan(1e-4);
    expect(c.state.losses).not.toEqual(a.state.losses);
  });

  it('without dropout the seed still changes the run, through the order of the examples', async () => {
    const a = await run(3, 0);
    const b = await run(3, 0);
    const c = await run(4, 0);
    expect(sameWeights(a.weights, b.weights)).toBe(true);
    expect(maxWeightDiff(a.weights, c.weights)).toBeGreaterThan(1e-4);
  });
});

describe('early stopping', () => {
  it('stops after `patience` evaluations without improvement', async () => {
    const model = buildModel();
    const checkpoints: TrainerState[] = [];
    // At lr 1e-9 nothing changes, so no evaluation after the first can improve on it.
    const state = await fineTune({
      model, tokenizer, train, dev, metrics: ['accuracy'], mainMetric: 'accuracy',
      options: trainOptions({ epochs: 10, batchSize: 32, learningRate: 1e-9, earlyStoppingPatience: 2 }),
      callbacks: { onCheckpoint: async (s) => void checkpoints.push(structuredClone(s)) },
    });
    model.dispose();
    expect(state.history.map((h) => h.step)).toEqual([2, 4, 6]);
    expect(new Set(state.history.map((h) => h.metrics.accuracy)).size).toBe(1);
    expect(state).toMatchObject({ step: 6, totalSteps: 20, finished: true, stoppedEarly: true, evalsWithoutImprovement: 2 });
    expect(state.best).toMatchObject({ step: 2, value: state.history[0]!.metrics.accuracy });
    expect(state.losses).toHaveLength(6);
    // The last checkpoint says the run is over, so a resume would not train on.
    expect(checkpoints.map((c) => [c.step, c.finished, c.stoppedEarly])).toEqual([[2, false, false], [4, false, false], [6, true, true]]);
  });

  it('with evalEvery, patience counts evaluations, not epochs', async () => {
    const model = buildModel();
    const state = await fineTune({
      model, tokenizer, train, dev, metrics: ['accuracy'], mainMetric: 'accuracy',
      options: trainOptions({ epochs: 5, batchSize: 32, learningRate: 1e-9, earlyStoppingPatience: 3, evalEvery: 1 }),
    });
    model.dispose();
    expect(state.history.map((h) => h.step)).toEqual([1, 2, 3, 4]);
    expect(state).toMatchObject({ step: 4, finished: true, stoppedEarly: true });
  });
});

describe('cancelling', () => {
  it('an aborted signal stops after the step in progress: no evaluation, not finished, nothing leaked', async () => {
    const model = buildModel();
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const steps: number[] = [];
    const state = await fineTune({
      model, tokenizer, train, dev, metrics: ['accuracy'], mainMetric: 'accuracy', signal: controller.signal,
      options: trainOptions({ epochs: 4, batchSize: 16 }),
      callbacks: {
        // Awaited: the run does not go on until the callback resolves.
        onStep: async ({ step }) => {
          await new Promise((r) => setTimeout(r, 1));
          steps.push(step);
          if (step === 3) controller.abort();
        },
      },
    });
    expect(steps).toEqual([1, 2, 3]);
    expect(state).toMatchObject({ step: 3, finished: false, history: [] });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('divergence', () => {
  const options = (o: Partial<TrainOptions>) => trainOptions({ epochs: 3, batchSize: 16, warmupRatio: 0, ...o });

  it('a NaN weight fails at step 1 with a MaxPoolBertError that suggests a lower learning rate, leaking nothing', async () => {
    const model = buildModel();
    const bias = model.variables().get('classifier.bias')!;
    bias.assign(tf.tensor1d([NaN, 0]));
    const tensors = tf.memory().numTensors;
    const err = await errorOf(() => fineTune({ model, tokenizer, train, dev, metrics: ['accuracy'], mainMetric: 'accuracy', options: options({}) }));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toMatch(/loss became NaN at step 1 \(epoch 1\)/);
    expect(err.message).toMatch(/lower learning rate/);
    expect(err.message).toContain('--lr');
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();
  });

  it('an absurd learning rate (1e6) makes the run diverge, and the error names the step it happened at', async () => {
    const model = buildModel();
    let lastStep = 0;
    const err = await errorOf(() => fineTune({
      model, tokenizer, train, dev, metrics: ['accuracy'], mainMetric: 'accuracy', options: options({ learningRate: 1e6 }),
      callbacks: { onStep: (p) => void (lastStep = p.step) },
    }));
    model.dispose();
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toContain(`at step ${lastStep + 1} `);
    expect(err.message).toMatch(/diverged; try a lower learning rate \(now 1000000, e\.g\. --lr 500000\)/);
    expect(lastStep).toBeLessThan(12); // it fails long before the 12 steps are done
  });
});

describe('options', () => {
  it('rejects invalid settings and an empty training set before doing anything', async () => {
    const model = buildModel();
    const base = { model, tokenizer, train, dev, metrics: ['accuracy' as const], mainMetric: 'accuracy' as const };
    const bad = await errorOf(() => fineTune({ ...base, options: trainOptions({ batchSize: 10, gradientAccumulation: 3 }) }));
    expect(bad).toBeInstanceOf(MaxPoolBertError);
    expect(bad.message).toContain('batchSize 10 must be a multiple of gradientAccumulation 3');
    const empty = await errorOf(() => fineTune({ ...base, train: { ...train, examples: [] }, options: trainOptions() }));
    expect(empty.message).toBe('train.tsv: no training examples');
    model.dispose();
  });
});
