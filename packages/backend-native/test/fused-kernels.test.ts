import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { AdamW, applyGradients, DENSE_KERNEL, ensureKernels, fusedDense, fusedLayerNorm, gelu, GELU_KERNEL, ADAMW_UPDATE_KERNEL, LAYER_NORM_KERNEL } from '@maxpoolbert/core';
import { registerNativeBackend, NATIVE_BACKEND } from '../src/index';
import { rand, runOn, worstError } from './kernel-parity';
import { nativeMissing } from './native-available';

/**
 * Core's fused kernels (GELU and its gradient, the AdamW update) on native, against the same
 * formulas composed from tfjs ops on the backends that lack them.
 */
const missing = nativeMissing();
const describeNative = missing ? describe.skip : describe;

/** Four AdamW steps on `backend` from fixed values (two with clipping); the parameters and moments afterwards. */
const ADAMW_START = { 'layer.weight': rand([37, 11]), 'layer.bias': rand([11]) };

async function adamwSteps(backend: string): Promise<Map<string, Float32Array>> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const values = ADAMW_START;
  const variables = new Map(Object.entries(values).map(([name, v]) => {
    const initial = tf.tensor(v.values!, v.shape);
    const variable = tf.variable(initial, true, `${backend}/${name}`);
    initial.dispose();
    return [name, variable];
  }));
  const optimizer = new AdamW({ weightDecay: 0.01 });
  for (let step = 0; step < 4; step++) {
    const grads = new Map([...variables].map(([name, p]) => [name, tf.tidy(() => tf.mul(tf.sin(tf.add(p, step)), 0.3))]));
    if (step < 2) {
      optimizer.step(grads, variables, 1e-2);
      tf.dispose([...grads.values()]);
    } else {
      // As fineTune applies them: clipped to a global norm of 1 (these norms are ~4), then AdamW;
      // the fused update takes the clip factor, the composed ops scale copies of the gradients.
      await applyGradients(optimizer, grads, variables, 1e-2, 1.0);
    }
  }
  const state = await optimizer.exportState();
  const out = new Map<string, Float32Array>();
  for (const [name, p] of variables) out.set(name, (await p.data()) as Float32Array);
  for (const [name, m] of state.moments) out.set(name, m.data as Float32Array);
  optimizer.dispose();
  tf.dispose([...variables.values()]);
  expect(tf.memory().numTensors - before).toBe(0);
  return out;
}

describeNative('core’s fused kernels on native', () => {
  beforeAll(async () => {
    await registerNativeBackend();
    ensureKernels('cpu');
  });

  it('registers the fused kernels on native only', () => {
    expect(tf.getKernel(GELU_KERNEL, NATIVE_BACKEND)).toBeDefined();
    expect(tf.getKernel(ADAMW_UPDATE_KERNEL, NATIVE_BACKEND)).toBeDefined();
    expect(tf.getKernel(LAYER_NORM_KERNEL, NATIVE_BACKEND)).toBeDefined();
    expect(tf.getKernel(DENSE_KERNEL, NATIVE_BACKEND)).toBeDefined();
    for (const other of ['cpu', 'wasm']) {
      expect(tf.getKernel(GELU_KERNEL, other)).toBeUndefined();
      expect(tf.getKernel(DENSE_KERNEL, other)).toBeUndefined();
    }
  });

  it('GELU matches the composed formula', async () => {
    const x = [rand([300, 257], 6)];
    const expected = await runOn('cpu', x, (t) => gelu(t));
    const actual = await runOn(NATIVE_BACKEND, x, (t) => gelu(t));
    expect(worstError(actual, expected)).toBeLessThanOrEqual(3e-6);
    expect(actual.leaked).toBe(0);
  });

  it('GELU’s gradient matches the composed formula’s autodiff', async () => {
    const inputs = [rand([64, 129], 6), rand([64, 129])];
    const grad = (x: tf.Tensor, w: tf.Tensor) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(gelu(v), w)))(x);
    const expected = await runOn('cpu', inputs, grad);
    const actual = await runOn(NATIVE_BACKEND, inputs, grad);
    expect(worstError(actual, expected)).toBeLessThanOrEqual(1e-5);
    expect(actual.leaked).toBe(0);
  });

  // [rows, in] · [out, in]ᵀ: few rows (computed transposed, the bias added in the copy back),
  // many rows, one of each size 1, an empty inner dimension (the bias alone), no rows.
  const DENSE_SHAPES: [number, number, number][] = [[16, 96, 400], [300, 64, 50], [1, 7, 1], [5, 0, 7], [0, 8, 3]];

  it.each(DENSE_SHAPES)('dense %i×%i · (%i×…)ᵀ + b matches matmul + add on cpu', async (rows, inner, out) => {
    const inputs = [rand([rows, inner]), rand([out, inner]), rand([out])];
    const dense = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => fusedDense(x as tf.Tensor2D, w, b);
    const expected = await runOn('cpu', inputs, dense);
    const actual = await runOn(NATIVE_BACKEND, inputs, dense);
    expect(actual.values.map((v) => v.shape)).toEqual([[rows, out]]);
    expect(worstError(actual, expected)).toBeLessThanOrEqual(1e-5);
    expect(actual.leaked).toBe(0);
  });

  it('dense is bit-identical to native’s own matmul + add, forward and backward', async () => {
    const inputs = [rand([24, 80]), rand([200, 80]), rand([200]), rand([24, 200])];
    const both = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, dy: tf.Tensor) => {
      const f = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(fusedDense(xx as tf.Tensor2D, ww, bb), dy));
      return [fusedDense(x as tf.Tensor2D, w, b), ...tf.grads(f)([x, w, b])];
    };
    const fused = await runOn(NATIVE_BACKEND, inputs, both);
    const kernel = tf.getKernel(DENSE_KERNEL, NATIVE_BACKEND)!;
    tf.unregisterKernel(DENSE_KERNEL, NATIVE_BACKEND);
    let composed: Awaited<ReturnType<typeof runOn>>;
    try {
      composed = await runOn(NATIVE_BACKEND, inputs, both);
    } finally {
      tf.registerKernel(kernel);
    }
    expect(fused.values).toEqual(composed.values);
    expect(fused.leaked).toBe(0);
  });

  it('dense’s gradients (x, W, b) match the composed ops’ autodiff on cpu', async () => {
    const inputs = [rand([40, 33]), rand([70, 33]), rand([70]), rand([40, 70])];
    const grads = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, dy: tf.Tensor) =>
      tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(fusedDense(xx as tf.Tensor2D, ww, bb), dy)))([x, w, b]);
    const expected = await runOn('cpu', inputs, grads);
    const actual = await runOn(NATIVE_BACKEND, inputs, grads);
    expect(actual.values.map((v) => v.shape)).toEqual([[40, 33], [70, 33], [70]]);
    expect(worstError(actual, expected)).toBeLessThanOrEqual(2e-5);
    expect(actual.leaked).toBe(0);
  });

  it('LayerNorm matches the composed formula, and on the last axis of any rank', async () => {
    for (const shape of [[300, 257], [2, 5, 64], [3, 1]]) {
      const c = shape[shape.length - 1];
      const inputs = [rand(shape, 3), rand([c]), rand([c])];
      const ln = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => fusedLayerNorm(x, g, b, 1e-12);
      const expected = await runOn('cpu', inputs, ln);
      const actual = await runOn(NATIVE_BACKEND, inputs, ln);
      expect({ shape, error: worstError(actual, expected) <= 3e-6 }).toEqual({ shape, error: true });
      expect(actual.leaked).toBe(0);
    }
  });

  it('LayerNorm’s gradients (x, γ, β) match the composed formula’s autodiff', async () => {
    const inputs = [rand([130, 96], 3), rand([96]), rand([96]), rand([130, 96])];
    const grads = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, w: tf.Tensor) =>
      tf.grads((xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(fusedLayerNorm(xx, gg, bb, 1e-5), w)))([x, g, b]);
    const expected = await runOn('cpu', inputs, grads);
    const actual = await runOn(NATIVE_BACKEND, inputs, grads);
    expect(worstError(actual, expected)).toBeLessThanOrEqual(2e-5);
    expect(actual.leaked).toBe(0);
  });

  it('the fused AdamW update (with clipping’s factor) is bit-identical to the composed ops on native', async () => {
    const fused = await adamwSteps(NATIVE_BACKEND);
    // The same backend without the fused kernel: core composes the update from ops.
    const kernel = tf.getKernel(ADAMW_UPDATE_KERNEL, NATIVE_BACKEND)!;
    tf.unregisterKernel(ADAMW_UPDATE_KERNEL, NATIVE_BACKEND);
    let composed: Map<string, Float32Array>;
    try {
      composed = await adamwSteps(NATIVE_BACKEND);
    } finally {
      tf.registerKernel(kernel);
    }
    expect([...fused.keys()].sort()).toEqual([...composed.keys()].sort());
    for (const [name, values] of fused) expect({ name, values: Array.from(values) }).toEqual({ name, values: Array.from(composed.get(name)!) });
  });

  it.each(['wasm', 'cpu'])('and agrees with the composed ops on %s to float32 rounding', async (other) => {
    const fused = await adamwSteps(NATIVE_BACKEND);
    const ref = await adamwSteps(other);
    for (const [name, values] of fused) {
      const expected = ref.get(name)!;
      let worst = 0;
      for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(values[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
      expect({ name, worst: worst <= 1e-6 ? 'ok' : worst }).toEqual({ name, worst: 'ok' });
    }
  });
});
