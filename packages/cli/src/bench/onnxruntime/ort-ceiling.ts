import { CEILING_SHAPES, SeededRng, timeRuns, type MatmulCeiling, type MatmulMeasurement, type MatmulShape } from '@maxpoolbert/core';
import { GraphBuilder } from './graph-builder.js';
import { encodeOnnxModel } from './onnx-writer.js';
import { BERT_ONNX_OPSET } from './bert-onnx.js';
import { createReferenceSession, loadOnnxruntime } from './ort-session.js';

/**
 * onnxruntime's own large-matmul rate, so its records carry a ceiling like every tfjs
 * backend's (core's measureMatmulCeiling: same shapes, same seeded operands, best run kept).
 * The right operand is an initializer, as BERT's weights are: onnxruntime prepacks constant
 * MatMul weights, and the ceiling should be the rate its projections can reach. Only one
 * element of the product is returned (a Slice), so the clock does not time copying the
 * 4 MB result to JavaScript, as core's ceiling reads one element too.
 */
function matmulModel(shape: MatmulShape, rng: SeededRng): { model: Uint8Array; a: Float32Array } {
  const { m, k, n } = shape;
  const a = rng.fillNormal(new Float32Array(m * k), 0, 1);
  const b = new GraphBuilder();
  const x = b.input({ name: 'a', dtype: 'float32', shape: [m, k] });
  const w = b.initializer('b', 'float32', [k, n], rng.fillNormal(new Float32Array(k * n), 0, 1));
  const product = b.op('MatMul', [x, w], { name: 'product' });
  const corner = b.op('Slice', [product, b.int64([0, 0]), b.int64([1, 1])], { name: 'corner' });
  b.output(corner, { dtype: 'float32', shape: [1, 1] });
  const model = encodeOnnxModel({
    irVersion: 8,
    opsetImports: [{ domain: '', version: BERT_ONNX_OPSET }],
    producerName: 'maxpoolbert',
    producerVersion: '0',
    graph: { name: 'matmul_ceiling', nodes: b.nodes, initializers: b.initializers, inputs: b.inputs, outputs: b.outputs },
  });
  return { model, a };
}

/** The best GFLOP/s over {@link CEILING_SHAPES} with `threads` intra-op threads. */
export async function measureOrtMatmulCeiling(threads: number, opts: { shapes?: MatmulShape[]; warmup?: number; runs?: number } = {}): Promise<MatmulCeiling> {
  const ort = await loadOnnxruntime();
  const rng = new SeededRng(1);
  const shapes: MatmulMeasurement[] = [];
  for (const shape of opts.shapes ?? CEILING_SHAPES) {
    const { model, a } = matmulModel(shape, rng);
    const session = await createReferenceSession(model, threads);
    try {
      const feeds = { a: new ort.Tensor('float32', a, [shape.m, shape.k]) };
      const stats = await timeRuns(async () => {
        await session.run(feeds);
      }, { warmup: opts.warmup ?? 1, runs: opts.runs ?? 5 });
      const flops = 2 * shape.m * shape.k * shape.n;
      shapes.push({ ...shape, flops, bestMs: stats.minMs, medianMs: stats.medianMs, gflops: flops / stats.minMs / 1e6 });
    } finally {
      await session.release();
    }
  }
  return { gflops: Math.max(...shapes.map((s) => s.gflops)), shapes };
}
