/** @jest-environment ../../testing/jest-env-host-typed-arrays.cjs */
import * as tf from '@tensorflow/tfjs-core';
import '@maxpoolbert/heads';
import { useNodeBackend } from '@maxpoolbert/backend-node';
import { benchBatch, benchConfig, benchModel, classifierFlops, disposeBatch, initBertParameters, type SequenceClassifier } from '@maxpoolbert/core';
import { buildBertOnnx } from '../../src/bench/onnxruntime/bert-onnx';
import { createReferenceSession, int64Tensor, loadOnnxruntime } from '../../src/bench/onnxruntime/ort-session';
import { benchClassifierWeights, runOnnxruntimeConfig } from '../../src/bench/onnxruntime/runner';
import type { BenchEvent } from '../../src/bench/run-config';
import { maxAbsDiff } from '../../../../testing/shared-fixtures';
import { describeOnnxruntime } from './ort-available';

/**
 * The onnxruntime reference of `maxpoolbert bench`: it must time the bench's own model (same
 * weights, classifier and batch as core's benchModel / benchBatch, checked against tfjs's
 * logits), and return a record shaped like the tfjs backends' (structure only, never timings).
 */
const B = 2;
const T = 16;
const config = benchConfig({ preset: 'tiny' });

describeOnnxruntime('the onnxruntime bench reference', () => {
  let model: SequenceClassifier;
  beforeAll(async () => {
    tf.enableProdMode(); // no "install tfjs-node" banner
    await useNodeBackend({ prefer: 'cpu' });
    model = benchModel({ preset: 'tiny', head: { type: 'cls' }, batch: B, seq: T }, false);
  });
  afterAll(() => model.dispose());

  it("runs the bench's model: benchModel's classifier, and tfjs's logits on benchBatch to 1e-4", async () => {
    const classifier = benchClassifierWeights(config);
    const vars = model.variables();
    expect(Array.from(classifier.weight)).toEqual(Array.from(await vars.get('classifier.weight')!.data()));
    expect(Array.from(classifier.bias)).toEqual(Array.from(await vars.get('classifier.bias')!.data()));

    const { batch, labels } = benchBatch(config, B, T);
    const logits = model.logits(batch, { training: false });
    const expected = await logits.array();
    const ort = await loadOnnxruntime();
    const session = await createReferenceSession(buildBertOnnx(config, initBertParameters(config, 0), { classifier, batch: B, seq: T }), 1);
    try {
      const out = await session.run({
        input_ids: int64Tensor(ort, await batch.inputIds.data(), [B, T]),
        attention_mask: int64Tensor(ort, await batch.attentionMask.data(), [B, T]),
        token_type_ids: int64Tensor(ort, await batch.tokenTypeIds.data(), [B, T]),
      });
      const got = [0, 1].map((b) => Array.from((out.logits.data as Float32Array).subarray(2 * b, 2 * b + 2)));
      expect(maxAbsDiff(got, expected)).toBeLessThan(1e-4);
      expect(maxAbsDiff(got, [[0, 0], [0, 0]])).toBeGreaterThan(1e-3); // not trivially zero
    } finally {
      await session.release();
      tf.dispose([logits, labels]);
      disposeBatch(batch);
    }
  });

  it('returns a well-formed bench record for tiny at 2×16', async () => {
    const events: BenchEvent[] = [];
    const r = await runOnnxruntimeConfig({ preset: 'tiny', batch: B, seq: T, threads: 1, warmup: 1, runs: 2 }, (e) => events.push(e));

    expect(r).toMatchObject({
      backend: 'onnxruntime', tfBackend: 'onnxruntime', mode: 'inference', preset: 'tiny', head: 'cls', batch: B, seq: T,
      leakedTensorsPerStep: 0, rssScope: 'configuration', headOverheadPercent: null, headOverheadPercentBest: null,
    });
    expect(r.device).toMatch(/^CPU \(onnxruntime-node \d+\.\d+, 1 thread\)$/);
    expect(r.backendVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.timing.samplesMs).toHaveLength(2);
    expect(r.timing.warmupMs).toHaveLength(1);
    const flops = classifierFlops(config, B, T, { head: 'cls', usePooler: true, numLabels: 2 });
    expect(r.flops).toEqual(flops);
    expect(r.flopsPerStep).toBe(flops.forward);
    let parameters = 0;
    for (const v of model.variables().values()) parameters += v.size;
    expect(r.parameters).toEqual({ total: parameters, head: 0 });
    expect(r.ceiling.shapes.map(({ m, k, n }) => [m, k, n])).toEqual([[1024, 768, 768], [1024, 1024, 1024]]);
    for (const x of [r.timing.medianMs, r.timing.minMs, r.timing.maxMs, r.itemsPerSecond, r.gflops.median, r.gflops.best, r.ceiling.gflops, r.ceilingRatio, r.peakRssMB]) {
      expect(Number.isFinite(x) && x > 0).toBe(true);
    }
    expect(r.itemsPerSecond).toBeCloseTo(B / (r.timing.medianMs / 1000), 6);

    // The bench child protocol: a run event per warm-up and timed run, then the result.
    expect(events.map((e) => (e.event === 'run' ? `run ${e.index} ${e.warmup}` : e.event))).toEqual(['run 0 true', 'run 1 false', 'run 2 false', 'result']);
    expect(events[3]).toEqual({ event: 'result', record: r });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r); // what the child writes to its parent
  });

  it('refuses a warm-up of 0 runs, like the tfjs benchmarks', async () => {
    await expect(runOnnxruntimeConfig({ preset: 'tiny', batch: B, seq: T, threads: 1, warmup: 0, runs: 1 })).rejects.toThrow(/warmup must be an integer >= 1/);
  });
});
