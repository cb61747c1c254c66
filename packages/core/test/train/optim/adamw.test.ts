// AdamW against plain-JS references of torch.optim.AdamW: a float64 one (the maths) and a float32
// emulation of PyTorch's single-tensor kernel (the order of operations, bit for bit).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { BERT_DEFAULTS, type BertConfig } from '../../../src/config/bert-config.js';
import { bertParameterShapes } from '../../../src/model/bert-parameters.js';
import { AdamW, shouldDecay, type AdamWState } from '../../../src/train/optim/index.js';
import { disposeMap, expectClose, lcg, randomArray, values } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface Hyper {
  beta1: number;
  beta2: number;
  eps: number;
  wd: number;
}

interface RefParam {
  p: number[];
  m: number[];
  v: number[];
  t: number;
}

const refParam = (p: number[]): RefParam => ({ p: p.slice(), m: p.map(() => 0), v: p.map(() => 0), t: 0 });

/** torch.optim.AdamW, one parameter, in float64 (the textbook formulas). */
function refStep64(s: RefParam, g: number[], lr: number, h: Hyper, decay: boolean): void {
  s.t++;
  const bc1 = 1 - h.beta1 ** s.t;
  const bc2 = 1 - h.beta2 ** s.t;
  for (let i = 0; i < s.p.length; i++) {
    if (decay) s.p[i]! -= lr * h.wd * s.p[i]!;
    s.m[i] = h.beta1 * s.m[i]! + (1 - h.beta1) * g[i]!;
    s.v[i] = h.beta2 * s.v[i]! + (1 - h.beta2) * g[i]! * g[i]!;
    s.p[i]! -= (lr * (s.m[i]! / bc1)) / (Math.sqrt(s.v[i]! / bc2) + h.eps);
  }
}

/**
 * PyTorch's `_single_tensor_adamw` in float32: param.mul_(1 − lr·wd); exp_avg.lerp_(grad, 1 − β1);
 * exp_avg_sq.mul_(β2).addcmul_(grad, grad, value=1 − β2); denom = (exp_avg_sq.sqrt() / √bc2).add_(eps);
 * param.addcdiv_(exp_avg, denom, value=−lr/bc1). Every tensor op rounds to float32, scalars too.
 */
function refStep32(s: RefParam, g: number[], lr: number, h: Hyper, decay: boolean): void {
  const f = Math.fround;
  s.t++;
  const stepSize = lr / (1 - h.beta1 ** s.t);
  const bc2Sqrt = Math.sqrt(1 - h.beta2 ** s.t);
  for (let i = 0; i < s.p.length; i++) {
    let p = s.p[i]!;
    if (decay) p = f(p * f(1 - lr * h.wd));
    const m = f(s.m[i]! + f(f(g[i]! - s.m[i]!) * f(1 - h.beta1)));
    const v = f(f(s.v[i]! * f(h.beta2)) + f(f(g[i]! * f(1 - h.beta2)) * g[i]!));
    const denom = f(f(f(Math.sqrt(v)) / f(bc2Sqrt)) + f(h.eps));
    s.p[i] = f(p + f(f(m * f(-stepSize)) / denom));
    s.m[i] = m;
    s.v[i] = v;
  }
}

const DEFAULTS: Hyper = { beta1: 0.9, beta2: 0.999, eps: 1e-8, wd: 0.01 };
const LRS = [1e-2, 3e-2, 5e-2, 2e-2, 1e-3];

/** Two parameters: `dense.weight` [3,4] (decayed) and `dense.bias` [4] (not). */
function makeVars(seed: number): Map<string, tf.Variable> {
  const rand = lcg(seed);
  return new Map<string, tf.Variable>([
    ['dense.weight', tf.variable(tf.tensor2d(randomArray(12, rand), [3, 4]))],
    ['dense.bias', tf.variable(tf.tensor1d(randomArray(4, rand)))],
  ]);
}

/** Varying gradients, different every step and of mixed magnitudes. */
function gradSeq(seed: number, steps: number): Map<string, number[]>[] {
  const rand = lcg(seed);
  return Array.from({ length: steps }, (_, k) => new Map([
    ['dense.weight', randomArray(12, rand, 0.1 * (k + 1))],
    ['dense.bias', randomArray(4, rand, 2 / (k + 1))],
  ]));
}

function toTensors(g: Map<string, number[]>, vars: Map<string, tf.Variable>): Map<string, tf.Tensor> {
  return new Map([...g].map(([name, a]) => [name, tf.tensor(a, vars.get(name)!.shape)]));
}

function runSteps(opt: AdamW, vars: Map<string, tf.Variable>, grads: Map<string, number[]>[], lrs: number[]): void {
  grads.forEach((g, k) => {
    const t = toTensors(g, vars);
    opt.step(t, vars, lrs[k]!);
    disposeMap(t);
  });
}

function disposeVars(vars: Map<string, tf.Variable>): void {
  for (const v of vars.values()) v.dispose();
}

describe('AdamW vs PyTorch AdamW', () => {
  it.each([
    ['defaults', DEFAULTS, {}],
    ['custom hyperparameters', { beta1: 0.8, beta2: 0.99, eps: 1e-6, wd: 0.1 }, { beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.1 }],
  ] as const)('5 steps with varying gradients and lr, decayed weight and undecayed bias (%s)', (_label, h, opts) => {
    const vars = makeVars(1);
    const grads = gradSeq(2, 5);
    const ref64 = new Map([...vars].map(([n, v]) => [n, refParam(values(v))]));
    const ref32 = new Map([...vars].map(([n, v]) => [n, refParam(values(v))]));
    const init = new Map([...vars].map(([n, v]) => [n, values(v)]));
    const opt = new AdamW(opts);
    grads.forEach((g, k) => {
      for (const [name, a] of g) {
        refStep64(ref64.get(name)!, a, LRS[k]!, h, name === 'dense.weight');
        refStep32(ref32.get(name)!, a, LRS[k]!, h, name === 'dense.weight');
      }
      runSteps(opt, vars, [g], [LRS[k]!]);
      for (const [name, v] of vars) expectClose(values(v), ref64.get(name)!.p, 1e-6, `${name} step ${k + 1}`);
    });
    expect(opt.stepCount).toBe(5);
    for (const [name, v] of vars) {
      // the parameters really moved (so the comparison is not vacuous)
      expect(Math.max(...values(v).map((x, i) => Math.abs(x - init.get(name)![i]!)))).toBeGreaterThan(1e-3);
      expect(values(v)).toEqual(ref32.get(name)!.p);
    }
    opt.dispose();
    disposeVars(vars);
  });

  it('weight decay is decoupled: with zero gradients a decayed parameter shrinks by exactly (1 − lr·wd) per step, a bias not at all', () => {
    const vars = makeVars(3);
    const w0 = values(vars.get('dense.weight')!);
    const b0 = values(vars.get('dense.bias')!);
    const opt = new AdamW({ weightDecay: 0.1 });
    const lr = 0.05;
    let expected = w0;
    for (let k = 0; k < 4; k++) {
      const zeros = new Map([...vars].map(([n, v]) => [n, tf.zerosLike(v) as tf.Tensor]));
      opt.step(zeros, vars, lr);
      disposeMap(zeros);
      expected = expected.map((x) => Math.fround(x * Math.fround(1 - lr * 0.1)));
      expect(values(vars.get('dense.weight')!)).toEqual(expected);
      expect(values(vars.get('dense.bias')!)).toEqual(b0);
    }
    expectClose(values(vars.get('dense.weight')!), w0.map((x) => x * (1 - lr * 0.1) ** 4), 1e-6);
    opt.dispose();
    disposeVars(vars);
  });

  it('weightDecay 0 and a custom decay rule', () => {
    const vars = makeVars(4);
    const w0 = values(vars.get('dense.weight')!);
    const b0 = values(vars.get('dense.bias')!);
    const zeros = () => new Map([...vars].map(([n, v]) => [n, tf.zerosLike(v) as tf.Tensor]));
    const noDecay = new AdamW({ weightDecay: 0 });
    let g = zeros();
    noDecay.step(g, vars, 0.1);
    disposeMap(g);
    expect(values(vars.get('dense.weight')!)).toEqual(w0);
    const onlyBias = new AdamW({ weightDecay: 0.5, decay: (n) => n.endsWith('.bias') });
    g = zeros();
    onlyBias.step(g, vars, 0.1);
    disposeMap(g);
    expect(values(vars.get('dense.weight')!)).toEqual(w0);
    expect(values(vars.get('dense.bias')!)).toEqual(b0.map((x) => Math.fround(x * Math.fround(1 - 0.05))));
    noDecay.dispose();
    onlyBias.dispose();
    disposeVars(vars);
  });

  it('a parameter without a gradient is left alone and keeps its own step count (PyTorch state["step"])', async () => {
    const h = DEFAULTS;
    const grads = gradSeq(5, 5);
    // dense.bias only gets gradients from the 3rd step on
    const partial = grads.map((g, k) => (k < 2 ? new Map([['dense.weight', g.get('dense.weight')!]]) : g));
    const vars = makeVars(6);
    const b0 = values(vars.get('dense.bias')!);
    const ref = new Map([...vars].map(([n, v]) => [n, refParam(values(v))]));
    const opt = new AdamW();
    runSteps(opt, vars, partial.slice(0, 2), LRS);
    expect(values(vars.get('dense.bias')!)).toEqual(b0);
    runSteps(opt, vars, partial.slice(2, 3), LRS.slice(2));
    partial.slice(0, 3).forEach((g, k) => {
      for (const [name, a] of g) refStep32(ref.get(name)!, a, LRS[k]!, h, name === 'dense.weight');
    });
    for (const [name, v] of vars) expect(values(v)).toEqual(ref.get(name)!.p);

    // the per-parameter count survives export/load
    const state = await opt.exportState();
    expect([...state.moments.keys()].sort()).toEqual(['m/dense.bias', 'm/dense.weight', 'step/dense.bias', 'v/dense.bias', 'v/dense.weight']);
    expect(Array.from(state.moments.get('step/dense.bias')!.data)).toEqual([1]);
    const resumed = new AdamW();
    resumed.loadState(state);
    runSteps(resumed, vars, partial.slice(3), LRS.slice(3));
    partial.slice(3).forEach((g, k) => {
      for (const [name, a] of g) refStep32(ref.get(name)!, a, LRS[k + 3]!, h, name === 'dense.weight');
    });
    for (const [name, v] of vars) expect(values(v)).toEqual(ref.get(name)!.p);
    opt.dispose();
    resumed.dispose();
    disposeVars(vars);
  });

  it('rejects bad gradients before changing anything', () => {
    const vars = makeVars(7);
    const before = new Map([...vars].map(([n, v]) => [n, values(v)]));
    const opt = new AdamW();
    const good = tf.zeros([3, 4]);
    const unknown = new Map<string, tf.Tensor>([['dense.weight', good], ['nope.weight', tf.zeros([2])]]);
    expect(() => opt.step(unknown, vars, 0.1)).toThrow(/unknown variable "nope.weight"/);
    const wrongShape = new Map<string, tf.Tensor>([['dense.weight', good], ['dense.bias', tf.zeros([5])]]);
    expect(() => opt.step(wrongShape, vars, 0.1)).toThrow(/shape \[5\]/);
    expect(() => opt.step(new Map(), vars, -1)).toThrow(RangeError);
    expect(() => opt.step(new Map(), vars, NaN)).toThrow(RangeError);
    expect(opt.stepCount).toBe(0);
    for (const [n, v] of vars) expect(values(v)).toEqual(before.get(n));
    expect(() => new AdamW({ beta1: 1 })).toThrow(RangeError);
    expect(() => new AdamW({ beta2: -0.1 })).toThrow(RangeError);
    expect(() => new AdamW({ weightDecay: -1 })).toThrow(RangeError);
    disposeMap(unknown);
    disposeMap(wrongShape);
    opt.dispose();
    disposeVars(vars);
  });
});

describe('default weight-decay rule (Hugging Face no_decay)', () => {
  const config: BertConfig = {
    ...BERT_DEFAULTS, vocab_size: 11, hidden_size: 4, num_hidden_layers: 2, num_attention_heads: 2,
    intermediate_size: 8, max_position_embeddings: 6, extra: {},
  };
  const shapes = new Map<string, number[]>([
    ...[...bertParameterShapes(config)].map(([n, s]) => [`bert.${n}`, s] as [string, number[]]),
    ['head.attention.in_proj_weight', [12, 4]],
    ['head.attention.in_proj_bias', [12]],
    ['head.attention.out_proj.weight', [4, 4]],
    ['head.attention.out_proj.bias', [4]],
    ['classifier.weight', [3, 4]],
    ['classifier.bias', [3]],
  ]);
  /** HF's classic rule: `not any(nd in n for nd in ["bias", "LayerNorm.weight"])`. */
  const hfDecays = (n: string) => !['bias', 'LayerNorm.weight'].some((nd) => n.includes(nd));

  it('agrees with HF on every real BERT + head + classifier parameter name', () => {
    for (const name of shapes.keys()) expect([name, shouldDecay(name)]).toEqual([name, hfDecays(name)]);
    expect(shouldDecay('bert.encoder.layer.0.attention.self.query.weight')).toBe(true);
    expect(shouldDecay('bert.encoder.layer.0.attention.self.query.bias')).toBe(false);
    expect(shouldDecay('bert.embeddings.LayerNorm.weight')).toBe(false);
    expect(shouldDecay('bert.embeddings.LayerNorm.bias')).toBe(false);
    expect(shouldDecay('bert.encoder.layer.1.output.LayerNorm.weight')).toBe(false);
    expect(shouldDecay('bert.embeddings.word_embeddings.weight')).toBe(true);
    expect(shouldDecay('bert.pooler.dense.weight')).toBe(true);
    expect(shouldDecay('head.attention.in_proj_weight')).toBe(true);
    expect(shouldDecay('head.attention.in_proj_bias')).toBe(false);
    expect(shouldDecay('classifier.weight')).toBe(true);
    expect(shouldDecay('classifier.bias')).toBe(false);
    // other layer-norm spellings
    expect(shouldDecay('encoder.final_layer_norm.weight')).toBe(false);
    expect(shouldDecay('bert.embeddings.LayerNorm.gamma')).toBe(false);
    expect(shouldDecay('bert.embeddings.LayerNorm.beta')).toBe(false);
    expect(shouldDecay('head.norm.gamma')).toBe(false);
    expect(shouldDecay('head.norm.beta')).toBe(false);
  });

  it('applies it by default: zero-gradient step on real-named variables', () => {
    const rand = lcg(9);
    const vars = new Map([...shapes].map(([n, s]) => [n, tf.variable(tf.tensor(randomArray(s.reduce((a, b) => a * b, 1), rand), s))]));
    const before = new Map([...vars].map(([n, v]) => [n, values(v)]));
    const zeros = new Map([...vars].map(([n, v]) => [n, tf.zerosLike(v) as tf.Tensor]));
    const opt = new AdamW();
    opt.step(zeros, vars, 0.5);
    let decayed = 0;
    for (const [n, v] of vars) {
      const factor = hfDecays(n) ? Math.fround(1 - 0.5 * 0.01) : 1;
      if (factor !== 1) decayed++;
      expect(values(v)).toEqual(before.get(n)!.map((x) => Math.fround(x * factor)));
    }
    expect(decayed).toBe(2 * 6 + 3 + 1 + 2 + 1); // per layer q,k,v,attn-out,inter,out; 3 embeddings; pooler; head in/out; classifier
    disposeMap(zeros);
    opt.dispose();
    disposeVars(vars);
  });
});

describe('AdamW state', () => {
  it('3 steps, export, load into a new optimizer, 2 more steps == 5 uninterrupted steps exactly', async () => {
    const grads = gradSeq(10, 5);
    const straight = makeVars(11);
    const optA = new AdamW({ weightDecay: 0.05 });
    runSteps(optA, straight, grads, LRS);

    const resumed = makeVars(11);
    const opt1 = new AdamW({ weightDecay: 0.05 });
    runSteps(opt1, resumed, grads.slice(0, 3), LRS);
    const state = await opt1.exportState();
    opt1.dispose();
    expect(state.step).toBe(3);
    expect([...state.moments.keys()].sort()).toEqual(['m/dense.bias', 'm/dense.weight', 'v/dense.bias', 'v/dense.weight']);
    const m = state.moments.get('m/dense.weight')!;
    expect(m.dtype).toBe('float32');
    expect(m.shape).toEqual([3, 4]);
    expect(m.data).toBeInstanceOf(Float32Array);

    // round-trip through plain arrays, as a checkpoint file would
    const copy: AdamWState = {
      step: state.step,
      moments: new Map([...state.moments].map(([k, t]) => [k, { ...t, shape: [...t.shape], data: Float32Array.from(t.data) }])),
    };
    const opt2 = new AdamW({ weightDecay: 0.05 });
    opt2.loadState(copy);
    expect(opt2.stepCount).toBe(3);
    runSteps(opt2, resumed, grads.slice(3), LRS.slice(3));
    expect(opt2.stepCount).toBe(5);
    for (const [name, v] of straight) expect(values(resumed.get(name)!)).toEqual(values(v));
    const [sa, sb] = [await optA.exportState(), await opt2.exportState()];
    expect(sb.step).toBe(sa.step);
    for (const [k, t] of sa.moments) expect(Array.from(sb.moments.get(k)!.data)).toEqual(Array.from(t.data));
    optA.dispose();
    opt2.dispose();
    disposeVars(straight);
    disposeVars(resumed);
  });

  it('exported data is a copy, and loadState validates', async () => {
    const vars = makeVars(12);
    const opt = new AdamW();
    runSteps(opt, vars, gradSeq(13, 1), LRS);
    const state = await opt.exportState();
    const snapshot = Array.from(state.moments.get('m/dense.bias')!.data);
    runSteps(opt, vars, gradSeq(14, 1), LRS);
    expect(Array.from(state.moments.get('m/dense.bias')!.data)).toEqual(snapshot);

    const fresh = new AdamW();
    const without = (key: string): AdamWState => ({ step: 1, moments: new Map([...state.moments].filter(([k]) => k !== key)) });
    expect(() => fresh.loadState(without('v/dense.bias'))).toThrow(/lacks v\/dense.bias/);
    expect(() => fresh.loadState({ step: 1, moments: new Map([...state.moments, ['x/dense.bias', state.moments.get('m/dense.bias')!]]) })).toThrow(/unexpected state entry/);
    expect(() => fresh.loadState({ step: 1, moments: new Map([['m/a', { dtype: 'float32', shape: [2], data: new Float32Array(2) }], ['v/a', { dtype: 'float32', shape: [3], data: new Float32Array(3) }]]) })).toThrow(/differ in shape/);
    expect(() => fresh.loadState({ step: -1, moments: new Map() })).toThrow();
    // moments whose shape does not fit the variable fail at step time, before anything changes
    fresh.loadState({ step: 1, moments: new Map([['m/dense.bias', { dtype: 'float32', shape: [5], data: new Float32Array(5) }], ['v/dense.bias', { dtype: 'float32', shape: [5], data: new Float32Array(5) }]]) });
    const g = new Map<string, tf.Tensor>([['dense.bias', tf.ones([4])]]);
    const b = values(vars.get('dense.bias')!);
    expect(() => fresh.step(g, vars, 0.1)).toThrow(/moments of "dense.bias" have shape \[5\]/);
    expect(values(vars.get('dense.bias')!)).toEqual(b);
    expect(fresh.stepCount).toBe(1);
    disposeMap(g);
    fresh.dispose();
    opt.dispose();
    disposeVars(vars);
  });

  it('no tensor leaks over 20 steps; dispose frees the moments', () => {
    const vars = makeVars(15);
    const base = tf.memory().numTensors;
    const opt = new AdamW();
    const grads = gradSeq(16, 20);
    const counts: number[] = [];
    grads.forEach((g, k) => {
      runSteps(opt, vars, [g], [LRS[k % LRS.length]!]);
      counts.push(tf.memory().numTensors);
    });
    expect(counts[0]).toBe(base + 4); // m and v for two parameters
    expect(new Set(counts).size).toBe(1);
    // a step inside an outer tidy does not get its moments disposed by it
    tf.tidy(() => runSteps(opt, vars, gradSeq(17, 1), [1e-3]));
    expect(tf.memory().numTensors).toBe(base + 4);
    opt.dispose();
    expect(tf.memory().numTensors).toBe(base);
    disposeVars(vars);
  });
});
