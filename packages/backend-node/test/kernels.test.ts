import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { ensureKernels } from '@maxpoolbert/core';
import { sharingIdentityKernel } from '../../core/src/backend/kernels/sharing-identity';
import { unsortedSegmentSumKernel } from '../../core/src/backend/kernels/unsorted-segment-sum';

/**
 * Core's host UnsortedSegmentSum kernel on the two CPU backends Node always has. The backends are
 * imported directly (not through useNodeBackend) so the state before ensureKernels is visible.
 */
const BACKENDS = ['wasm', 'cpu'] as const;

/** mulberry32: a small seeded PRNG, so a failing case is reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Plain-JS UnsortedSegmentSum over a flat row-major x with `inner` values per row, in float64. */
function referenceSegmentSum(x: ArrayLike<number>, ids: ArrayLike<number>, numSegments: number, inner: number): number[] {
  const out = new Array<number>(numSegments * inner).fill(0);
  for (let i = 0; i < ids.length; i++) {
    const seg = ids[i];
    if (seg < 0 || seg >= numSegments) continue;
    for (let j = 0; j < inner; j++) out[seg * inner + j] += x[i * inner + j];
  }
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  expect({ worst: worst <= tol ? 'ok' : worst, at: worst <= tol ? -1 : at }).toEqual({ worst: 'ok', at: -1 });
}

async function on<T>(backend: string, fn: () => Promise<T>): Promise<T> {
  expect(await tf.setBackend(backend)).toBe(true);
  await tf.ready();
  return fn();
}

describe('ensureKernels', () => {
  it('registers the host UnsortedSegmentSum on wasm (which lacks one) and cpu (replacing its slow one), once', () => {
    // Before: wasm has none, cpu has tfjs's own.
    expect(tf.getKernel(tf.UnsortedSegmentSum, 'wasm')).toBeUndefined();
    const tfjsCpuKernel = tf.getKernel(tf.UnsortedSegmentSum, 'cpu');
    expect(tfjsCpuKernel).toBeDefined();
    expect(tfjsCpuKernel?.kernelFunc).not.toBe(unsortedSegmentSumKernel);

    for (const backend of BACKENDS) {
      // wasm also gets its BatchMatMul wrapped (explicit transposes; see the matmul tests below)
      // and an Identity that shares buffers (below).
      expect(ensureKernels(backend)).toEqual(backend === 'wasm' ? [tf.BatchMatMul, tf.UnsortedSegmentSum, tf.Identity] : [tf.UnsortedSegmentSum]);
      expect(tf.getKernel(tf.UnsortedSegmentSum, backend)?.kernelFunc).toBe(unsortedSegmentSumKernel);
      // Idempotent: nothing left to add the second time.
      expect(ensureKernels(backend)).toEqual([]);
      expect(tf.getKernel(tf.UnsortedSegmentSum, backend)?.kernelFunc).toBe(unsortedSegmentSumKernel);
    }
  });

  it('fills the kernel in on a backend that lacks it, but leaves another backend\'s own kernel alone', () => {
    const own: tf.KernelFunc = () => {
      throw new Error('not called');
    };
    tf.registerKernel({ kernelName: tf.UnsortedSegmentSum, backendName: 'fake-gpu', kernelFunc: own });
    try {
      expect(ensureKernels('fake-gpu')).toEqual([]);
      expect(tf.getKernel(tf.UnsortedSegmentSum, 'fake-gpu')?.kernelFunc).toBe(own);
      expect(ensureKernels('fake-bare')).toEqual([tf.UnsortedSegmentSum]);
      expect(tf.getKernel(tf.UnsortedSegmentSum, 'fake-bare')?.kernelFunc).toBe(unsortedSegmentSumKernel);
    } finally {
      tf.unregisterKernel(tf.UnsortedSegmentSum, 'fake-gpu');
      if (tf.getKernel(tf.UnsortedSegmentSum, 'fake-bare')) tf.unregisterKernel(tf.UnsortedSegmentSum, 'fake-bare');
    }
  });
});

describe.each(BACKENDS)('tf.unsortedSegmentSum on %s', (backend) => {
  beforeAll(async () => {
    ensureKernels(backend);
    await on(backend, async () => undefined);
  });

  async function run(x: tf.Tensor, ids: number[], numSegments: number): Promise<{ values: number[]; shape: number[]; dtype: string }> {
    const before = tf.memory().numTensors;
    const idsT = tf.tensor1d(ids, 'int32');
    const out = tf.unsortedSegmentSum(x, idsT, numSegments);
    const result = { values: Array.from(await out.data()), shape: out.shape, dtype: out.dtype };
    tf.dispose([idsT, out]);
    expect(tf.memory().numTensors).toBe(before);
    return result;
  }

  it('matches the reference for random x [N, D] with repeated ids', async () => {
    expect(tf.getBackend()).toBe(backend);
    const rand = rng(1234);
    const [n, d, numSegments] = [257, 13, 31];
    const xs = Float32Array.from({ length: n * d }, () => rand() * 4 - 2);
    const ids = Array.from({ length: n }, () => Math.floor(rand() * numSegments));
    ids[1] = ids[0]; // certainly repeated
    ids[2] = ids[0];
    const x = tf.tensor2d(xs, [n, d]);
    const got = await run(x, ids, numSegments);
    x.dispose();
    expect(got.shape).toEqual([numSegments, d]);
    expect(got.dtype).toBe('float32');
    expectClose(got.values, referenceSegmentSum(xs, ids, numSegments, d), 1e-5);
    // Segments no id points at are zero; the sum of everything is kept.
    const unused = [...Array(numSegments).keys()].filter((s) => !ids.includes(s));
    for (const s of unused) expect(got.values.slice(s * d, (s + 1) * d).every((v) => v === 0)).toBe(true);
  });

  it('drops out-of-range ids (negative and >= numSegments), as TensorFlow does', async () => {
    const xs = [1, 2, 10, 20, 100, 200, 1000, 2000, 5, 6];
    const ids = [0, -1, 2, 3, 0];
    const x = tf.tensor2d(xs, [5, 2]);
    const got = await run(x, ids, 3);
    x.dispose();
    expect(got.shape).toEqual([3, 2]);
    expect(got.values).toEqual([6, 8, 0, 0, 100, 200]);
    expect(got.values).toEqual(referenceSegmentSum(xs, ids, 3, 2));
  });

  it('handles 1-D x', async () => {
    const rand = rng(99);
    const xs = Float32Array.from({ length: 100 }, () => rand() - 0.5);
    const ids = Array.from({ length: 100 }, () => Math.floor(rand() * 12) - 1); // includes -1
    const x = tf.tensor1d(xs);
    const got = await run(x, ids, 10); // and 10, 11: out of range
    x.dispose();
    expect(got.shape).toEqual([10]);
    expectClose(got.values, referenceSegmentSum(xs, ids, 10, 1), 1e-5);
  });

  it('handles x with several inner dimensions [N, A, B]', async () => {
    const rand = rng(7);
    const xs = Float32Array.from({ length: 20 * 3 * 4 }, () => rand());
    const ids = Array.from({ length: 20 }, () => Math.floor(rand() * 5));
    const x = tf.tensor3d(xs, [20, 3, 4]);
    const got = await run(x, ids, 5);
    x.dispose();
    expect(got.shape).toEqual([5, 3, 4]);
    expectClose(got.values, referenceSegmentSum(xs, ids, 5, 12), 1e-5);
  });

  it('keeps int32 x as int32, exactly', async () => {
    const rand = rng(42);
    const xs = Int32Array.from({ length: 60 * 4 }, () => Math.floor(rand() * 2001) - 1000);
    const ids = Array.from({ length: 60 }, () => Math.floor(rand() * 9));
    const x = tf.tensor2d(xs, [60, 4], 'int32');
    const got = await run(x, ids, 8); // id 8 is out of range
    x.dispose();
    expect(got.dtype).toBe('int32');
    expect(got.values).toEqual(referenceSegmentSum(xs, ids, 8, 4));
  });

  it('sums a large vocabulary-sized output quickly (one pass, not one per segment)', async () => {
    const [tokens, hidden, vocab] = [512, 64, 30522];
    const rand = rng(5);
    const xs = Float32Array.from({ length: tokens * hidden }, () => rand());
    const ids = Array.from({ length: tokens }, () => Math.floor(rand() * vocab));
    const x = tf.tensor2d(xs, [tokens, hidden]);
    const idsT = tf.tensor1d(ids, 'int32');
    const started = Date.now();
    const out = tf.unsortedSegmentSum(x, idsT, vocab);
    const values = out.dataSync();
    // tfjs's own cpu kernel (one masked sum per segment, ~1e9 operations here) takes minutes.
    expect(Date.now() - started).toBeLessThan(10000);
    tf.dispose([x, idsT, out]);
    expectClose(values, referenceSegmentSum(xs, ids, vocab, hidden), 1e-5);
  });
});

describe('the gradient of tf.gather (the embedding gradient)', () => {
  async function gatherGrad(backend: string, params: Float32Array, shape: [number, number], ids: number[][], weights: Float32Array): Promise<Float32Array> {
    return on(backend, async () => {
      ensureKernels(backend);
      const p = tf.tensor2d(params, shape);
      const idsT = tf.tensor2d(ids, [ids.length, ids[0].length], 'int32');
      const w = tf.tensor3d(weights, [ids.length, ids[0].length, shape[1]]);
      const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.gather(x, idsT), w)));
      const g = grad(p);
      expect(g.shape).toEqual(shape);
      const out = (await g.data()) as Float32Array;
      tf.dispose([p, idsT, w, g]);
      return out;
    });
  }

  it('is the same on wasm as on cpu, and equals the plain-JS sum of upstream rows per id', async () => {
    const rand = rng(2024);
    const [vocab, hidden, batch, seq] = [50, 16, 3, 11];
    const params = Float32Array.from({ length: vocab * hidden }, () => rand() - 0.5);
    const ids = Array.from({ length: batch }, () => Array.from({ length: seq }, () => Math.floor(rand() * 20))); // many repeats
    ids[0][0] = ids[1][5] = ids[2][10] = 7;
    const weights = Float32Array.from({ length: batch * seq * hidden }, () => rand() * 2 - 1);

    const onWasm = await gatherGrad('wasm', params, [vocab, hidden], ids, weights);
    const onCpu = await gatherGrad('cpu', params, [vocab, hidden], ids, weights);
    expectClose(onWasm, onCpu, 1e-6);
    // d/dparams[v] = sum of the upstream rows (the weights) at positions where ids == v.
    expectClose(onWasm, referenceSegmentSum(weights, ids.flat(), vocab, hidden), 1e-5);
    // Rows no id gathered get no gradient.
    for (let v = 20; v < vocab; v++) expect(Array.from(onWasm.slice(v * hidden, (v + 1) * hidden)).every((x) => x === 0)).toBe(true);
  });
});

describe('BatchMatMul on wasm with transposed operands (wrapped to transpose explicitly)', () => {
  const cases: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

  it.each(cases)('transposeA=%s transposeB=%s equals the cpu result, for 2-D and batched 4-D operands', async (ta, tb) => {
    const shapes = [
      { a: ta ? [7, 5] : [5, 7], b: tb ? [3, 7] : [7, 3] },
      { a: ta ? [2, 3, 6, 4] : [2, 3, 4, 6], b: tb ? [2, 3, 5, 6] : [2, 3, 6, 5] },
    ];
    for (const { a, b } of shapes) {
      const av = Float32Array.from({ length: a.reduce((x, y) => x * y) }, (_, i) => Math.sin(i + 1));
      const bv = Float32Array.from({ length: b.reduce((x, y) => x * y) }, (_, i) => Math.cos(i * 0.7));
      const result = async (backend: string) =>
        on(backend, async () => {
          const before = tf.memory().numTensors;
          const out = tf.tidy(() => tf.matMul(tf.tensor(av, a), tf.tensor(bv, b), ta, tb));
          const values = Array.from(await out.data());
          out.dispose();
          expect(tf.memory().numTensors).toBe(before);
          return values;
        });
      const wasm = await result('wasm');
      const cpu = await result('cpu');
      expect(wasm).toHaveLength(cpu.length);
      wasm.forEach((v, i) => expect(Math.abs(v - cpu[i])).toBeLessThan(1e-5));
    }
  });

  it('is the wrapper, installed once', async () => {
    await on('wasm', async () => undefined);
    ensureKernels('wasm');
    const first = tf.getKernel(tf.BatchMatMul, 'wasm')?.kernelFunc;
    expect(ensureKernels('wasm')).toEqual([]);
    expect(tf.getKernel(tf.BatchMatMul, 'wasm')?.kernelFunc).toBe(first);
  });
});

describe('Identity on wasm', () => {
  it('shares the input buffer (no copy), and each tensor still owns its reference', async () => {
    await on('wasm', async () => ensureKernels('wasm'));
    expect(tf.getKernel(tf.Identity, 'wasm')?.kernelFunc).toBe(sharingIdentityKernel);
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const buffers = tf.memory().numDataBuffers;
    const y = tf.clone(x); // runs Identity
    expect(tf.memory().numDataBuffers).toBe(buffers); // no second buffer
    x.dispose();
    expect(await y.array()).toEqual([[1, 2], [3, 4]]); // still alive after the input went
    // Gradients saved through Identity keep working.
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.clone(a), a)))(tf.tensor1d([1, 2, 3]));
    expect(Array.from(await g.data())).toEqual([2, 4, 6]);
    tf.dispose([y, g]);
  });
});
