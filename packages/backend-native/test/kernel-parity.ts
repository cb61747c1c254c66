import * as tf from '@tensorflow/tfjs-core';
import { lcg, randomArray } from '../../../testing/test-utils';

/** Host inputs for one case: float32 (or int32) values and shapes, made once, uploaded on each backend. */
export interface HostInput {
  shape: number[];
  dtype?: 'float32' | 'int32';
  values?: number[];
}

let seed = 1;

/** Random float32 values in [-scale, scale). */
export function rand(shape: number[], scale = 2): HostInput {
  return { shape, values: randomArray(shape.reduce((a, b) => a * b, 1), lcg(seed++), scale) };
}

/** Random positive float32 values in [lo, lo + 2). */
export function positive(shape: number[], lo = 0.1): HostInput {
  const r = rand(shape, 1);
  return { shape, values: r.values!.map((v) => Math.fround(v + 1 + lo)) };
}

export function ints(shape: number[], max: number): HostInput {
  const r = lcg(seed++);
  return { shape, dtype: 'int32', values: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.floor(((r() + 1) / 2) * max)) };
}

/** Runs `fn` on `backend` with the inputs uploaded there; returns every output's values and shape, and the tensors it leaked. */
export async function runOn(backend: string, inputs: HostInput[], fn: (...t: tf.Tensor[]) => tf.Tensor | tf.Tensor[]) {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const ts = inputs.map((i) => tf.tensor(i.values ?? [], i.shape, i.dtype ?? 'float32'));
  const out = tf.tidy(() => fn(...ts));
  const outs = Array.isArray(out) ? out : [out];
  const values = await Promise.all(outs.map(async (o) => ({ shape: o.shape, dtype: o.dtype, values: Array.from(await o.data()) as number[] })));
  tf.dispose([...ts, ...outs]);
  return { values, leaked: tf.memory().numTensors - before };
}

/**
 * Largest difference of two runs' outputs, relative to max(1, |expected|); NaN must meet NaN and
 * ±Infinity the same infinity. Shapes and dtypes must match exactly.
 */
export function worstError(actual: Awaited<ReturnType<typeof runOn>>, expected: Awaited<ReturnType<typeof runOn>>): number {
  if (actual.values.length !== expected.values.length) return Infinity;
  let worst = 0;
  actual.values.forEach((a, k) => {
    const e = expected.values[k];
    if (a.dtype !== e.dtype || a.shape.join() !== e.shape.join() || a.values.length !== e.values.length) worst = Infinity;
    for (let i = 0; i < e.values.length && worst !== Infinity; i++) {
      const x = a.values[i], y = e.values[i];
      if (Number.isNaN(y) || !Number.isFinite(y)) {
        if (!Object.is(x, y) && !(Number.isNaN(x) && Number.isNaN(y))) worst = Infinity;
        continue;
      }
      worst = Math.max(worst, Math.abs(x - y) / Math.max(1, Math.abs(y)));
    }
  });
  return worst;
}
