import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerNativeBackend, NATIVE_BACKEND } from '../src/index';
import { ints, positive, rand, runOn, worstError, type HostInput } from './kernel-parity';
import { nativeMissing } from './native-available';

/**
 * Every native kernel against tfjs's JS CPU backend (the reference: float64 arithmetic rounded
 * to float32) on random shapes: transposes, broadcast batch dimensions, odd sizes, size-1 and
 * zero-size dimensions, and the inputs native kernels hand back to WASM (other dtypes,
 * non-contiguous reduction axes). Each case also checks that nothing leaks.
 */
const missing = nativeMissing();
const describeNative = missing ? describe.skip : describe;

interface Case {
  name: string;
  inputs: HostInput[];
  fn: (...t: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
  /** What the CPU backend runs instead of `fn`, where its own kernel is wrong. */
  reference?: (...t: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
  /** Largest error relative to max(1, |reference|). */
  tol?: number;
}

const matmul = (ta = false, tb = false) => (a: tf.Tensor, b: tf.Tensor) => tf.matMul(a, b, ta, tb);

const MATMUL: Case[] = [
  { name: '2-D 3×5 · 5×4', inputs: [rand([3, 5]), rand([5, 4])], fn: matmul() },
  { name: '2-D transposeA', inputs: [rand([5, 3]), rand([5, 4])], fn: matmul(true, false) },
  { name: '2-D transposeB (a Linear layer)', inputs: [rand([7, 33]), rand([19, 33])], fn: matmul(false, true) },
  { name: '2-D both transposed', inputs: [rand([33, 7]), rand([19, 33])], fn: matmul(true, true) },
  { name: 'odd sizes 67×129 · 129×31', inputs: [rand([67, 129]), rand([129, 31])], fn: matmul(), tol: 1e-4 },
  { name: 'batched, attention-shaped [2,3,17,8]·[2,3,17,8]ᵀ', inputs: [rand([2, 3, 17, 8]), rand([2, 3, 17, 8])], fn: matmul(false, true) },
  { name: 'batched, transposeA [4,9,5]ᵀ·[4,9,6]', inputs: [rand([4, 9, 5]), rand([4, 9, 6])], fn: matmul(true, false) },
  // tfjs's CPU kernel computes only 5 of these 10 products (it wraps batch indices): the
  // reference tiles the operands to [2,5] first.
  {
    name: 'broadcast batch both ways [2,1,3,4]·[1,5,4,6]', inputs: [rand([2, 1, 3, 4]), rand([1, 5, 4, 6])], fn: matmul(),
    reference: (a, b) => tf.matMul(tf.tile(a, [1, 5, 1, 1]), tf.tile(b, [2, 1, 1, 1])),
  },
  { name: 'broadcast batch one way [1,3,4]·[6,4,2]', inputs: [rand([1, 3, 4]), rand([6, 4, 2])], fn: matmul() },
  { name: 'broadcast rank 3 · rank 2', inputs: [rand([3, 4, 5]), rand([5, 6])], fn: matmul() },
  { name: 'broadcast rank 2 · rank 4, transposed', inputs: [rand([5, 4]), rand([2, 3, 6, 5])], fn: matmul(true, true) },
  { name: 'batch of many small products (more than threads)', inputs: [rand([64, 3, 2]), rand([64, 2, 3])], fn: matmul() },
  { name: 'zero rows [0,4]·[4,5]', inputs: [rand([0, 4]), rand([4, 5])], fn: matmul() },
  { name: 'zero inner dimension [3,0]·[0,5] gives zeros', inputs: [rand([3, 0]), rand([0, 5])], fn: matmul() },
  { name: 'zero batch [0,2,3]·[0,3,2]', inputs: [rand([0, 2, 3]), rand([0, 3, 2])], fn: matmul() },
  { name: 'large enough to be threaded 300×200·200×100', inputs: [rand([300, 200]), rand([100, 200])], fn: matmul(false, true), tol: 1e-4 },
  // Few rows, many columns: computed transposed and transposed back (every flag combination).
  ...([[false, false], [false, true], [true, false], [true, true]] as const).map(([ta, tb]): Case => ({
    name: `few rows, computed transposed: 5×40 · 40×97 (transposeA ${ta}, transposeB ${tb})`,
    inputs: [rand(ta ? [40, 5] : [5, 40]), rand(tb ? [97, 40] : [40, 97])], fn: matmul(ta, tb), tol: 1e-5,
  })),
  { name: 'few rows, computed transposed, threaded copy back: [1,16,64]·[5000,64]ᵀ', inputs: [rand([1, 16, 64]), rand([5000, 64])], fn: matmul(false, true), tol: 1e-5 },
];

const binaryOps: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
  ['Add', tf.add], ['Sub', tf.sub], ['Multiply', tf.mul], ['RealDiv', tf.div],
  ['SquaredDifference', tf.squaredDifference], ['Maximum', tf.maximum], ['Minimum', tf.minimum],
];
const BROADCASTS: [string, number[], number[]][] = [
  ['same shape', [4, 5], [4, 5]],
  ['a bias row', [6, 7], [7]],
  ['a column', [6, 7], [6, 1]],
  ['a scalar', [3, 4], []],
  ['scalar first', [], [3, 4]],
  ['both ways [2,1,3]·[4,1]', [2, 1, 3], [4, 1]],
  ['an attention mask [2,1,1,5] over [2,3,5,5]', [2, 3, 5, 5], [2, 1, 1, 5]],
  ['size-1 dims [1,3,1]·[1,3,1]', [1, 3, 1], [1, 3, 1]],
  ['zero-size [0,3]·[3]', [0, 3], [3]],
  ['long (threaded) [70000]·[70000]', [70000], [70000]],
  ['threaded with broadcast [300,257]·[257]', [300, 257], [257]],
];
const BINARY: Case[] = binaryOps.flatMap(([op, fn]) =>
  BROADCASTS.map(([name, a, b]): Case => ({ name: `${op}: ${name}`, inputs: [rand(a), op === 'RealDiv' ? positive(b) : rand(b)], fn })),
);
BINARY.push({ name: 'Add of int32 (handed to WASM)', inputs: [ints([3, 4], 100), ints([4], 100)], fn: tf.add });
BINARY.push({ name: 'Maximum with NaN', inputs: [{ shape: [3], values: [NaN, 1, 2] }, { shape: [3], values: [0, NaN, 1] }], fn: tf.maximum });

const unaryOps: [string, (x: tf.Tensor) => tf.Tensor, boolean][] = [
  ['Exp', tf.exp, false], ['Erf', tf.erf, false], ['Tanh', tf.tanh, false], ['Sqrt', tf.sqrt, true], ['Rsqrt', tf.rsqrt, true],
  ['Square', tf.square, false], ['Neg', tf.neg, false], ['Log', tf.log, true], ['Relu', tf.relu, false],
  ['Reciprocal', tf.reciprocal, true], ['Abs', tf.abs, false], ['Sigmoid', tf.sigmoid, false],
];
const UNARY: Case[] = unaryOps.flatMap(([op, fn, pos]) => [
  { name: `${op}: [5,7]`, inputs: [pos ? positive([5, 7]) : rand([5, 7], 6)], fn },
  { name: `${op}: threaded [200,300]`, inputs: [pos ? positive([200, 300]) : rand([200, 300], 6)], fn },
  { name: `${op}: zero-size`, inputs: [rand([0, 3])], fn },
]);
UNARY.push({ name: 'Exp: extremes (overflow to Infinity, underflow to 0, NaN)', inputs: [{ shape: [6], values: [100, -120, 88, -87, NaN, 0] }], fn: tf.exp, tol: 2e-6 });
UNARY.push({ name: 'Erf: tails and NaN', inputs: [{ shape: [6], values: [-10, -4, -0.5, 1e-3, 3.9, NaN] }], fn: tf.erf });
UNARY.push({ name: 'Neg of int32 (handed to WASM)', inputs: [ints([5], 9)], fn: tf.neg });

const reductions: [string, (x: tf.Tensor, axis?: number | number[], keepDims?: boolean) => tf.Tensor][] = [
  ['Sum', tf.sum], ['Mean', tf.mean], ['Max', tf.max], ['Min', tf.min],
];
const AXES: [string, number[], number | number[] | undefined, boolean][] = [
  ['last axis (LayerNorm)', [9, 13], -1, true],
  ['first axis (bias gradient)', [1000, 64], 0, false],
  ['leading axes [0,1]', [4, 50, 33], [0, 1], false],
  ['middle axis', [3, 17, 5], 1, false],
  ['every axis', [4, 6], undefined, false],
  ['non-contiguous [0,2] (handed to WASM)', [3, 4, 5], [0, 2], true],
  ['few wide columns, threaded', [40000, 3], 0, false],
  ['many rows, threaded', [3000, 40], -1, false],
  ['zero-size kept rows [0,5]', [0, 5], -1, false],
];
const REDUCE: Case[] = reductions.flatMap(([op, fn]) =>
  AXES.map(([name, shape, axis, keep]): Case => ({ name: `${op}: ${name}`, inputs: [rand(shape)], fn: (x) => fn(x, axis, keep), tol: 1e-5 })),
);
REDUCE.push({ name: 'Sum of int32 (handed to WASM)', inputs: [ints([4, 5], 50)], fn: (x) => tf.sum(x, 0) });
REDUCE.push({ name: 'Sum over an empty axis is 0', inputs: [rand([3, 0])], fn: (x) => tf.sum(x, 1) });

const OTHERS: Case[] = [
  { name: 'Softmax [3,5]', inputs: [rand([3, 5], 10)], fn: (x) => tf.softmax(x) },
  { name: 'Softmax attention [2,3,17,129]', inputs: [rand([2, 3, 17, 129], 10)], fn: (x) => tf.softmax(x) },
  { name: 'Softmax of one column', inputs: [rand([4, 1])], fn: (x) => tf.softmax(x) },
  { name: 'Transpose 2-D [37,53]', inputs: [rand([37, 53])], fn: (x) => tf.transpose(x) },
  { name: 'Transpose heads [2,17,3,8] → [0,2,1,3]', inputs: [rand([2, 17, 3, 8])], fn: (x) => tf.transpose(x, [0, 2, 1, 3]) },
  { name: 'Transpose rank 5 [2,3,4,5,6] → [4,2,0,3,1]', inputs: [rand([2, 3, 4, 5, 6])], fn: (x) => tf.transpose(x, [4, 2, 0, 3, 1]) },
  { name: 'Transpose with size-1 dims [1,5,1,7] → [3,2,1,0]', inputs: [rand([1, 5, 1, 7])], fn: (x) => tf.transpose(x, [3, 2, 1, 0]) },
  { name: 'Transpose merging axes [2,3,4,5] → [2,3,0,1]', inputs: [rand([2, 3, 4, 5])], fn: (x) => tf.transpose(x, [2, 3, 0, 1]) },
  { name: 'Transpose int32', inputs: [ints([4, 6], 1000)], fn: (x) => tf.transpose(x) },
  { name: 'Transpose threaded [300,500]', inputs: [rand([300, 500])], fn: (x) => tf.transpose(x) },
  { name: 'Transpose zero-size', inputs: [rand([0, 4])], fn: (x) => tf.transpose(x) },
  { name: 'Slice rows (position embeddings) [512,8] → [16,8]', inputs: [rand([512, 8])], fn: (x) => tf.slice(x, [0, 0], [16, 8]) },
  { name: 'Slice [CLS] [2,16,8] → [2,1,8]', inputs: [rand([2, 16, 8])], fn: (x) => tf.slice(x, [0, 0, 0], [2, 1, 8]) },
  { name: 'Slice inner columns, offset on every axis [5,6,7] → [3,2,4]', inputs: [rand([5, 6, 7])], fn: (x) => tf.slice(x, [1, 3, 2], [3, 2, 4]) },
  { name: 'Slice rank 5 with size -1 (to the end)', inputs: [rand([2, 3, 4, 3, 2])], fn: (x) => tf.slice(x, [1, 0, 1, 0, 1], [-1, 2, -1, 3, 1]) },
  { name: 'Slice 1-D and whole tensor', inputs: [rand([9])], fn: (x) => [tf.slice(x, 2, 5), tf.slice(x, 0, 9)] },
  { name: 'Slice int32 and bool', inputs: [ints([6, 5], 40)], fn: (x) => [tf.slice(x, [2, 1], [3, 3]), tf.cast(tf.slice(tf.cast(x, 'bool'), [1, 0], [4, 2]), 'int32')] },
  { name: 'Slice to zero size', inputs: [rand([4, 5])], fn: (x) => tf.slice(x, [1, 2], [0, 3]) },
  { name: 'Slice’s gradient (a pad)', inputs: [rand([6, 7]), rand([3, 4])], fn: (x, dy) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.slice(v, [2, 1], [3, 4]), dy)))(x) },
  { name: 'Gather rows (embedding lookup)', inputs: [rand([50, 8]), ints([2, 7], 50)], fn: (x, i) => tf.gather(x, i) },
  { name: 'Gather on axis 1', inputs: [rand([3, 10, 4]), ints([6], 10)], fn: (x, i) => tf.gather(x, i, 1) },
  { name: 'Gather int32 rows', inputs: [ints([20, 3], 99), ints([9], 20)], fn: (x, i) => tf.gather(x, i) },
  { name: 'Gather with no indices', inputs: [rand([5, 3]), { shape: [0], dtype: 'int32', values: [] }], fn: (x, i) => tf.gather(x, i) },
  { name: 'Cast float32 → int32 (truncates)', inputs: [rand([7, 9], 50)], fn: (x) => tf.cast(x, 'int32') },
  { name: 'Cast int32 → float32, threaded', inputs: [ints([300, 200], 1e6)], fn: (x) => tf.cast(x, 'float32') },
  { name: 'Cast float32 → bool and bool → float32, int32', inputs: [{ shape: [5], values: [0, -0, 1.5, NaN, -2] }], fn: (x) => [tf.cast(tf.cast(x, 'bool'), 'float32'), tf.cast(tf.cast(x, 'bool'), 'int32')] },
  { name: 'Cast int32 → bool', inputs: [ints([9], 3)], fn: (x) => tf.cast(tf.cast(x, 'bool'), 'int32') },
  { name: 'Cast to the same dtype', inputs: [rand([4, 4])], fn: (x) => tf.cast(x, 'float32') },
  { name: 'UnsortedSegmentSum (the embedding gradient), ids repeating and out of range', inputs: [rand([40, 70]), { shape: [40], dtype: 'int32', values: Array.from({ length: 40 }, (_, i) => (i * 7) % 13 - 1) }], fn: (x, ids) => tf.unsortedSegmentSum(x, ids as tf.Tensor1D, 11) },
  { name: 'UnsortedSegmentSum of an embedding gradient through gather', inputs: [rand([30, 64]), ints([5, 8], 30), rand([5, 8, 64])], fn: (table, ids, dy) => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), dy)))(table) },
];

describeNative('native kernels match the JS CPU backend', () => {
  beforeAll(async () => {
    await registerNativeBackend();
  });

  it.each([...MATMUL, ...BINARY, ...UNARY, ...REDUCE, ...OTHERS].map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const expected = await runOn('cpu', c.inputs, c.reference ?? c.fn);
    const actual = await runOn(NATIVE_BACKEND, c.inputs, c.fn);
    expect(worstError(actual, expected)).toBeLessThanOrEqual(c.tol ?? 3e-6);
    expect(actual.leaked).toBe(0);
  });

  it('rejects a gather index out of range with tfjs’s message and leaks nothing', async () => {
    await tf.setBackend(NATIVE_BACKEND);
    const before = tf.memory().numTensors;
    const x = tf.ones([4, 2]);
    const i = tf.tensor1d([1, 4], 'int32');
    expect(() => tf.gather(x, i)).toThrow('GatherV2: the index value 4 is not in [0, 3]');
    tf.dispose([x, i]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects shapes that do not multiply, as WASM does', async () => {
    await tf.setBackend(NATIVE_BACKEND);
    const a = tf.ones([2, 3]), b = tf.ones([4, 5]);
    expect(() => tf.matMul(a, b)).toThrow(/inner shapes \(3\) and \(4\)/);
    tf.dispose([a, b]);
  });

  it('leaves the wasm backend its own kernels', async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    expect(tf.getKernel(tf.BatchMatMul, 'wasm')?.kernelFunc).not.toBe(tf.getKernel(tf.BatchMatMul, NATIVE_BACKEND)?.kernelFunc);
    // WASM still computes, in its own heap, while native is registered.
    const wasm = await runOn('wasm', [rand([3, 4]), rand([4, 2])], matmul());
    const cpu = await runOn('cpu', [rand([3, 4]), rand([4, 2])], matmul());
    expect(wasm.values[0].shape).toEqual(cpu.values[0].shape);
  });
});
