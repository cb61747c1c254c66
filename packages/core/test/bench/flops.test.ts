import * as tf from '@tensorflow/tfjs-core';
import {
  benchBatch, benchModel, classifierFlops, layerFlops, lossAndGradients, measureMatmulCeiling, median, profileKernels, runBench,
  SeededRng, timeRuns, trainableParameters, withHeadOverheads,
} from '@maxpoolbert/core';
import { TEST_HEAD, tinyConfig, useCpu } from '../train/helpers';

beforeAll(useCpu);

// L = 2, H = 8, I = 32, 2 attention heads, C = 3 labels, B = 2, T = 4 (N = 8 tokens).
const config = tinyConfig({ hidden_size: 8, intermediate_size: 32, num_attention_heads: 2 });

describe('classifierFlops', () => {
  it('matches a count made by hand, product by product', () => {
    // One layer: Q, K, V, output projections [8×8]·[8×8] = 2·8·8·8 = 1024 each → 4096;
    // feed-forward [8×8]·[8×32] and [8×32]·[32×8] = 4096 each → 8192;
    // per row and attention head (dh = 4): scores [4×4]·[4×4] = 128 and probabilities·V = 128,
    // × 2 rows × 2 heads → 1024. Layer: 13312; two layers: 26624.
    expect(layerFlops(config, 2, 4)).toBe(13312);
    const cls = classifierFlops(config, 2, 4, { head: 'cls', numLabels: 3 });
    // pooler [2×8]·[8×8] = 256, classifier [2×8]·[8×3] = 96.
    expect(cls).toEqual({ encoder: 26624, tail: 352, head: 0, headKnown: true, forward: 26976, trainStep: 80928 });
    expect(classifierFlops(config, 2, 4, { head: 'cls', numLabels: 3, usePooler: false }).forward).toBe(26976 - 256);
    // max-seq-mha: q and out projections of one row per sequence [2×8]·[8×8] = 256 each, k and v
    // projections of every token [8×8]·[8×8] = 1024 each, scores and weighted sum of one query over
    // 4 keys: 2·4·8 = 64 per row and each → 256. Head: 2816.
    const msm = classifierFlops(config, 2, 4, { head: 'max-seq-mha', numLabels: 3 });
    expect(msm.head).toBe(2816);
    expect(msm.forward).toBe(26976 + 2816);
    expect(classifierFlops(config, 2, 4, { head: 'mha', numLabels: 3 }).head).toBe(2816);
    expect(classifierFlops(config, 2, 4, { head: 'max-cls' }).head).toBe(0);
  });

  it('gives bert-base at 8×128 about 179 GFLOP per forward, the figure the targets use', () => {
    const base = { ...config, num_hidden_layers: 12, hidden_size: 768, intermediate_size: 3072 };
    const f = classifierFlops(base, 8, 128);
    expect(f.encoder).toBe(12 * (8 * 1024 * 768 ** 2 + 4 * 1024 * 768 * 3072 + 4 * 8 * 128 ** 2 * 768));
    expect(f.forward / 1e9).toBeCloseTo(178.8, 1);
  });

  it('counts an unknown head as 0 and says so; rejects bad shapes', () => {
    expect(classifierFlops(config, 2, 4, { head: 'no-such-head' })).toMatchObject({ head: 0, headKnown: false });
    expect(() => classifierFlops(config, 0, 4)).toThrow(RangeError);
    expect(() => classifierFlops(config, 2, 1.5)).toThrow(RangeError);
  });

  it('equals the FLOPs of the products the model really runs: forward, and 3 × forward for a training step', async () => {
    const model = benchModel({ preset: config, head: { type: TEST_HEAD }, batch: 2, seq: 4, numLabels: 3 }, true);
    const { batch, labels } = benchBatch(config, 2, 4, 3);
    const expected = classifierFlops(config, 2, 4, { head: TEST_HEAD, numLabels: 3 });
    const matmulFlops = (p: Awaited<ReturnType<typeof profileKernels>>) => p.kernels.find((k) => k.kernel === tf.BatchMatMul)!.flops;
    const forward = await profileKernels(async () => {
      const logits = model.logits(batch, { training: false });
      await logits.data();
      logits.dispose();
    });
    expect(matmulFlops(forward)).toBe(expected.forward);
    const params = trainableParameters(model);
    const train = await profileKernels(async () => {
      const { value, grads } = lossAndGradients(model, params, batch, labels, new SeededRng(1));
      await value.data();
      tf.dispose([value, ...grads.values()]);
    });
    expect(matmulFlops(train)).toBe(expected.trainStep);
    tf.dispose([batch.inputIds, batch.tokenTypeIds, batch.attentionMask, labels]);
    model.dispose();
  });
});

describe('timing and the benchmark harness', () => {
  it('timeRuns excludes warm-up runs and reports median, min and max', async () => {
    const clock = [0, 50, 50, 60, 60, 90, 90, 110, 110, 115];
    let i = 0;
    const stats = await timeRuns(async () => undefined, { warmup: 1, runs: 4, now: () => clock[i++]! });
    expect(stats.warmupMs).toEqual([50]);
    expect(stats.samplesMs).toEqual([10, 30, 20, 5]);
    expect(stats).toMatchObject({ medianMs: 15, minMs: 5, maxMs: 30, meanMs: 16.25 });
    expect(median([3, 1, 2])).toBe(2);
    await expect(timeRuns(async () => undefined, { runs: 0 })).rejects.toThrow(RangeError);
  });

  it('runs inference and training benchmarks on the current backend without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const ceiling = await measureMatmulCeiling({ shapes: [{ m: 64, k: 32, n: 16 }], runs: 2 });
    expect(ceiling.shapes[0]).toMatchObject({ m: 64, k: 32, n: 16, flops: 2 * 64 * 32 * 16 });
    expect(ceiling.gflops).toBeGreaterThan(0);
    const runs: boolean[] = [];
    const spec = { preset: config, head: { type: TEST_HEAD }, batch: 2, seq: 4, warmup: 1, runs: 2, ceiling };
    const inference = await runBench({ ...spec, mode: 'inference', profile: true, onRun: (r) => runs.push(r.warmup) });
    const train = await runBench({ ...spec, mode: 'train' });
    expect(runs).toEqual([true, false, false]);
    for (const r of [inference, train]) {
      expect(r.leakedTensorsPerStep).toBe(0);
      expect(r.timing.samplesMs).toHaveLength(2);
      for (const x of [r.itemsPerSecond, r.gflops.median, r.ceilingRatio, r.memory.peakStepBytes]) expect(x).toBeGreaterThan(0);
      expect(r.tfBackend).toBe('cpu');
    }
    expect(inference.flopsPerStep).toBe(inference.flops.forward);
    expect(train.flopsPerStep).toBe(3 * train.flops.forward);
    expect(train.memory.afterWarmup.numTensors).toBeGreaterThan(train.memory.afterBuild.numTensors); // AdamW moments
    expect(inference.profile!.kernels[0]!.percent).toBeGreaterThan(0);
    expect(inference.profile!.kernels.reduce((s, k) => s + k.percent, 0)).toBeCloseTo(100, 6);
    expect(tf.memory().numTensors).toBe(before);

    const other = { ...inference, head: 'other', timing: { ...inference.timing, medianMs: inference.timing.medianMs * 1.5 } };
    const [a, b] = withHeadOverheads([{ ...inference, head: 'cls' }, other]);
    expect(a!.headOverheadPercent).toBeNull();
    expect(b!.headOverheadPercent).toBeCloseTo(50, 6);
    expect(b!.headOverheadPercentBest).toBeCloseTo(0, 6); // the same fastest run
  });
});
