import {
  benchConfig, benchTokenIds, bertParameterShapes, classifierFlops, countParameters, initBertParameters, SeededRng, timeRuns,
  type BertConfig, type BertPreset, type MemorySnapshot,
} from '@maxpoolbert/core';
import type { BenchEvent, CliBenchRecord } from '../run-config.js';
import { buildBertOnnx } from './bert-onnx.js';
import { measureOrtMatmulCeiling } from './ort-ceiling.js';
import { createReferenceSession, int64Tensor, loadOnnxruntime, onnxruntimeVersion } from './ort-session.js';

/**
 * The onnxruntime reference of `maxpoolbert bench`: the bench's own random model (same config,
 * same `initBertParameters` weights and classifier init, same token ids), as an ONNX graph run
 * by onnxruntime-node on the CPU, timed with core's `timeRuns` and reported as a bench record,
 * so it sits in the same table as the tfjs backends. Inference with the `cls` head only: that
 * is Hugging Face's BertForSequenceClassification, the model a user would run in onnxruntime.
 */
export interface OnnxruntimeBenchConfig {
  preset: BertPreset;
  batch: number;
  seq: number;
  /** onnxruntime's intra-op threads: give it the count the compared backend uses. */
  threads: number;
  /** Untimed runs first (at least 1: the first run pays onnxruntime's allocations). */
  warmup: number;
  runs: number;
}

/** The provider name and tfjs-backend field of onnxruntime records. */
export const ONNXRUNTIME_BACKEND = 'onnxruntime';

/** What the bench's models are made with (core's benchModel defaults). */
const SEED = 0;
const NUM_LABELS = 2;
/** Timed runs per ceiling shape, as run-config.ts uses for the tfjs backends. */
const CEILING_RUNS = 3;

/**
 * The classifier `benchModel` gives a parameterless head such as cls: buildSequenceClassifier
 * draws it from SeededRng(seed + 1), N(0, initializer_range), zero bias, after the head took
 * nothing from that generator. A test checks it against benchModel's own weights.
 */
export function benchClassifierWeights(config: BertConfig, numLabels = NUM_LABELS, seed = SEED): { weight: Float32Array; bias: Float32Array } {
  const rng = new SeededRng(seed + 1);
  return { weight: rng.fillNormal(new Float32Array(numLabels * config.hidden_size), 0, config.initializer_range), bias: new Float32Array(numLabels) };
}

/**
 * tfjs's tensor accounting, which CliBenchRecord carries for every backend: nothing here runs
 * on tfjs, so there is nothing to count. onnxruntime's memory shows in peakRssMB.
 */
const NO_TFJS_TENSORS: MemorySnapshot = { numTensors: 0, numDataBuffers: 0, numBytes: 0 };

/**
 * Runs one configuration in this process and returns its record; `onEvent` sees a `run`
 * event per warm-up and timed run, then the `result` (the protocol of bench child processes).
 */
export async function runOnnxruntimeConfig(
  c: OnnxruntimeBenchConfig, onEvent: (e: BenchEvent) => void = () => undefined, rssScope: CliBenchRecord['rssScope'] = 'configuration',
): Promise<CliBenchRecord> {
  if (!Number.isInteger(c.warmup) || c.warmup < 1) throw new RangeError(`warmup must be an integer >= 1, got ${c.warmup}`);
  const ort = await loadOnnxruntime();
  const version = onnxruntimeVersion(ort);
  const config = benchConfig({ preset: c.preset });
  // Measured in the configuration's own process just before it, as for the tfjs backends.
  const ceiling = await measureOrtMatmulCeiling(c.threads, { runs: CEILING_RUNS });

  const classifier = benchClassifierWeights(config);
  const parameters = countParameters(bertParameterShapes(config).values()) + classifier.weight.length + classifier.bias.length;
  // Symbolic batch and sequence sizes, as in a Hugging Face export with dynamic axes: what users
  // run. (Fixed sizes make onnxruntime rewrite the projections into 2-D Gemms and fuse
  // SkipLayerNormalization, which measured ~10 % slower for bert-mini at 8×128 on 1 thread.)
  let model: Uint8Array | undefined = buildBertOnnx(config, initBertParameters(config, SEED), { classifier });
  const session = await createReferenceSession(model, c.threads);
  model = undefined; // onnxruntime holds its own copy of the weights; let ours be collected
  try {
    const dims: [number, number] = [c.batch, c.seq];
    const feeds = {
      input_ids: int64Tensor(ort, benchTokenIds(config, c.batch, c.seq, new SeededRng(SEED)), dims),
      attention_mask: int64Tensor(ort, new Int32Array(c.batch * c.seq).fill(1), dims),
      token_type_ids: int64Tensor(ort, new Int32Array(c.batch * c.seq), dims),
    };
    // session.run resolves once the outputs are in JavaScript memory: the step ends with the logits read.
    const timing = await timeRuns(async () => {
      await session.run(feeds, ['logits']);
    }, { warmup: c.warmup, runs: c.runs, onRun: (r) => onEvent({ event: 'run', ...r }) });

    const flops = classifierFlops(config, c.batch, c.seq, { head: 'cls', usePooler: true, numLabels: NUM_LABELS });
    const gflops = { median: flops.forward / timing.medianMs / 1e6, best: flops.forward / timing.minMs / 1e6 };
    const record: CliBenchRecord = {
      backend: ONNXRUNTIME_BACKEND,
      device: `CPU (onnxruntime-node ${version.split('.').slice(0, 2).join('.')}, ${c.threads} thread${c.threads === 1 ? '' : 's'})`,
      backendVersion: version,
      mode: 'inference',
      preset: c.preset,
      head: 'cls',
      batch: c.batch,
      seq: c.seq,
      parameters: { total: parameters, head: 0 },
      timing,
      itemsPerSecond: c.batch / (timing.medianMs / 1000),
      flops,
      flopsPerStep: flops.forward,
      gflops,
      memory: { afterBuild: NO_TFJS_TENSORS, afterWarmup: NO_TFJS_TENSORS, peakStepBytes: 0 },
      leakedTensorsPerStep: 0,
      tfBackend: ONNXRUNTIME_BACKEND,
      ceiling,
      ceilingRatio: gflops.median / ceiling.gflops,
      headOverheadPercent: null,
      headOverheadPercentBest: null,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
      rssScope,
      threads: c.threads,
    };
    onEvent({ event: 'result', record });
    return record;
  } finally {
    await session.release();
  }
}
