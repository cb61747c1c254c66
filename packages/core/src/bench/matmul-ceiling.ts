import * as tf from '@tensorflow/tfjs-core';
import { SeededRng } from '../random/seeded-rng.js';
import { timeRuns } from './timing.js';

export interface MatmulShape {
  m: number;
  k: number;
  n: number;
}

export interface MatmulMeasurement extends MatmulShape {
  /** 2·m·k·n. */
  flops: number;
  /** Best (shortest) timed run, ms. */
  bestMs: number;
  medianMs: number;
  /** flops / best time. */
  gflops: number;
}

export interface MatmulCeiling {
  /** The best GFLOP/s over the shapes: the backend's practical ceiling for BERT's products. */
  gflops: number;
  shapes: MatmulMeasurement[];
}

/**
 * BERT-base's projection at B·T = 1024 tokens ([1024×768]·[768×768]) and a square 1024³ product:
 * the shapes that dominate an encoder, large enough to reach a backend's best rate.
 */
export const CEILING_SHAPES: MatmulShape[] = [
  { m: 1024, k: 768, n: 768 },
  { m: 1024, k: 1024, n: 1024 },
];

/**
 * The current backend's large-matmul rate: each shape `runs` times after a warm-up, best run
 * kept (the ceiling is what the backend can do, not what a noisy machine let it do). Plain
 * (untransposed) operands; every run awaits a read of (one element of) the product.
 */
export async function measureMatmulCeiling(opts: { shapes?: MatmulShape[]; warmup?: number; runs?: number } = {}): Promise<MatmulCeiling> {
  const rng = new SeededRng(1);
  const shapes: MatmulMeasurement[] = [];
  for (const shape of opts.shapes ?? CEILING_SHAPES) {
    const { m, k, n } = shape;
    const a = tf.tensor2d(rng.fillNormal(new Float32Array(m * k), 0, 1), [m, k]);
    const b = tf.tensor2d(rng.fillNormal(new Float32Array(k * n), 0, 1), [k, n]);
    try {
      const stats = await timeRuns(async () => {
        // Reading one element waits for the product (GPU queues run in order) without timing
        // the download of the whole result.
        const corner = tf.tidy(() => tf.slice(tf.matMul(a, b), [0, 0], [1, 1]));
        try {
          await corner.data();
        } finally {
          corner.dispose();
        }
      }, { warmup: opts.warmup ?? 1, runs: opts.runs ?? 5 });
      const flops = 2 * m * k * n;
      shapes.push({ ...shape, flops, bestMs: stats.minMs, medianMs: stats.medianMs, gflops: flops / stats.minMs / 1e6 });
    } finally {
      tf.dispose([a, b]);
    }
  }
  return { gflops: Math.max(...shapes.map((s) => s.gflops)), shapes };
}
