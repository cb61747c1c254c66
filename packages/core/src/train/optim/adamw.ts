import * as tf from '@tensorflow/tfjs-core';
import type { HostTensor } from '../../weights/named-tensor.js';
import { formatShape, numElements, sameShape } from '../../weights/named-tensor.js';
import { fusedAdamWUpdate, hasFusedAdamW } from './adamw-kernel.js';
import { scaleGradient } from './clip.js';

/** Options of {@link AdamW}; the defaults are `torch.optim.AdamW`'s. */
export interface AdamWOptions {
  /** Exponential decay of the first moment (default 0.9). */
  beta1?: number;
  /** Exponential decay of the second moment (default 0.999). */
  beta2?: number;
  /** Added to the bias-corrected √v (default 1e-8). */
  epsilon?: number;
  /** Decoupled weight decay coefficient (default 0.01, as PyTorch's AdamW). */
  weightDecay?: number;
  /**
   * Which parameters (by checkpoint name) get weight decay. Default {@link shouldDecay}: the
   * Hugging Face rule, no decay for biases and LayerNorm parameters.
   */
  decay?: (name: string) => boolean;
}

/**
 * Serializable optimizer state, enough to resume training exactly.
 *
 * `moments` holds float32 `m/<var>` (first moment) and `v/<var>` (second moment) for every
 * parameter that has been updated at least once. A parameter that was left out of some steps
 * (no gradient passed for it) has its own update count, as in PyTorch; only then is it recorded,
 * as an int32 scalar `step/<var>`. Otherwise its count is `step`.
 */
export interface AdamWState {
  /** Number of `step()` calls so far. */
  step: number;
  moments: Map<string, HostTensor>;
}

/**
 * The Hugging Face default weight-decay rule (`no_decay = ["bias", "LayerNorm.weight"]`, and the
 * Trainer's "no decay for LayerNorm layers or biases"): false for biases (`*.bias`, `*_bias` such
 * as `head.attention.in_proj_bias`) and layer-norm parameters (`LayerNorm.`, `layer_norm`, or the
 * TF-style `.gamma` / `.beta`); true for everything else (weights, embeddings).
 */
export function shouldDecay(name: string): boolean {
  const last = name.slice(name.lastIndexOf('.') + 1);
  if (last === 'bias' || last.endsWith('_bias')) return false;
  if (name.includes('LayerNorm.') || name.toLowerCase().includes('layer_norm')) return false;
  if (last === 'gamma' || last === 'beta') return false;
  return true;
}

interface Slot {
  m: tf.Variable;
  v: tf.Variable;
  /** Updates applied to this parameter (PyTorch's per-parameter `state['step']`). */
  step: number;
}

function checkRange(name: string, value: number, lo: number, hi: number, hiOpen: boolean): void {
  if (!Number.isFinite(value) || value < lo || (hiOpen ? value >= hi : value > hi)) {
    throw new RangeError(`AdamW: invalid ${name} ${value} (must be in [${lo}, ${hi}${hiOpen ? ')' : ']'})`);
  }
}

/**
 * `torch.optim.AdamW` (amsgrad off, no maximize), on tfjs variables keyed by checkpoint name.
 * Each step, for a parameter p with gradient g (per-parameter step count t):
 *
 *     p ← p · (1 − lr·wd)                      (only where `decay(name)`)
 *     m ← m + (1−β1)(g − m)                    (= β1 m + (1−β1) g, PyTorch's lerp_)
 *     v ← β2 v + (1−β2) g²
 *     p ← p − lr/(1−β1^t) · m / (√v / √(1−β2^t) + ε)
 *
 * in the same order of float32 operations as PyTorch's single-tensor kernel. Moments are created
 * lazily (zeros) the first time a parameter gets a gradient. Variables are updated in place with
 * `assign`; no temporaries survive a step.
 */
export class AdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  readonly decay: (name: string) => boolean;
  private slots = new Map<string, Slot>();
  private steps = 0;

  constructor(options: AdamWOptions = {}) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
    this.decay = options.decay ?? shouldDecay;
    checkRange('beta1', this.beta1, 0, 1, true);
    checkRange('beta2', this.beta2, 0, 1, true);
    checkRange('epsilon', this.epsilon, 0, Infinity, false);
    checkRange('weightDecay', this.weightDecay, 0, Infinity, false);
  }

  /** Number of `step()` calls so far (restored by `loadState`). */
  get stepCount(): number {
    return this.steps;
  }

  /**
   * One optimizer step at learning rate `lr`. Every gradient must name a variable of the same
   * shape (checked before anything changes); variables without a gradient are left alone, as
   * PyTorch skips parameters whose `.grad` is None. The gradients stay the caller's to dispose.
   * `gradScale` (gradient clipping's factor, see `clipCoefficient`) multiplies every gradient
   * first, exactly as `clipByGlobalNorm` would; a backend with the fused update does it in the
   * same pass instead of writing scaled copies of every gradient.
   */
  step(grads: ReadonlyMap<string, tf.Tensor>, variables: ReadonlyMap<string, tf.Variable>, lr: number, gradScale?: tf.Scalar): void {
    checkRange('learning rate', lr, 0, Infinity, false);
    for (const [name, g] of grads) {
      const p = variables.get(name);
      if (!p) throw new Error(`AdamW: gradient for unknown variable "${name}"`);
      if (!sameShape(g.shape, p.shape)) {
        throw new Error(`AdamW: gradient of "${name}" has shape ${formatShape(g.shape)}, variable has ${formatShape(p.shape)}`);
      }
      if (p.dtype !== 'float32') throw new Error(`AdamW: variable "${name}" is ${p.dtype}, expected float32`);
      const slot = this.slots.get(name);
      if (slot && !sameShape(slot.m.shape, p.shape)) {
        throw new Error(`AdamW: moments of "${name}" have shape ${formatShape(slot.m.shape)}, variable has ${formatShape(p.shape)}`);
      }
    }
    this.steps++;
    const { beta1, beta2, epsilon } = this;
    for (const [name, g] of grads) {
      const p = variables.get(name)!;
      let slot = this.slots.get(name);
      if (!slot) {
        slot = { m: zerosVariable(p.shape), v: zerosVariable(p.shape), step: 0 };
        this.slots.set(name, slot);
      }
      const t = ++slot.step;
      const bc1 = 1 - beta1 ** t;
      const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
      const stepSize = lr / bc1;
      const wd = this.weightDecay !== 0 && this.decay(name) ? lr * this.weightDecay : 0;
      const { m, v } = slot;
      if (hasFusedAdamW()) {
        // The backend does the whole update in one pass (same float32 operations, same order).
        const g32 = g.dtype === 'float32' ? g : tf.cast(g, 'float32');
        const [p1, m1, v1] = fusedAdamWUpdate(p, m, v, g32, {
          beta1, beta2, epsilon, stepSize, bc2Sqrt, decayFactor: wd !== 0 ? 1 - wd : 1,
        }, gradScale);
        if (g32 !== g) g32.dispose();
        m.assign(m1);
        v.assign(v1);
        p.assign(p1);
        tf.dispose([p1, m1, v1]);
        continue;
      }
      // Each quantity in its own scope, so that its temporaries are freed before the next one
      // starts: at most ~9 tensors of the parameter's size are alive at once, not 18 (for
      // bert-base's word embeddings, 0.8 GB less at the peak). Same operations, same order.
      const scaled = gradScale ? scaleGradient(g, gradScale) : g;
      const g32 = scaled.dtype === 'float32' ? scaled : tf.cast(scaled, 'float32');
      if (scaled !== g && scaled !== g32) scaled.dispose();
      const m1 = tf.tidy(() => tf.add(m, tf.mul(tf.sub(g32, m), 1 - beta1)));
      const v1 = tf.tidy(() => tf.add(tf.mul(v, beta2), tf.mul(tf.mul(g32, 1 - beta2), g32)));
      if (g32 !== g) g32.dispose();
      m.assign(m1);
      v.assign(v1);
      const update = tf.tidy(() => tf.div(tf.mul(m1, -stepSize), tf.add(tf.div(tf.sqrt(v1), bc2Sqrt), epsilon)));
      tf.dispose([m1, v1]);
      const p1 = tf.tidy(() => tf.add(wd !== 0 ? tf.mul(p, 1 - wd) : p, update));
      update.dispose();
      p.assign(p1);
      p1.dispose();
    }
  }

  /** Step count and moments on the host (copies), for checkpointing. */
  async exportState(): Promise<AdamWState> {
    const moments = new Map<string, HostTensor>();
    for (const [name, slot] of this.slots) {
      moments.set(`m/${name}`, { dtype: 'float32', shape: slot.m.shape.slice(), data: Float32Array.from(await slot.m.data()) });
      moments.set(`v/${name}`, { dtype: 'float32', shape: slot.v.shape.slice(), data: Float32Array.from(await slot.v.data()) });
      if (slot.step !== this.steps) moments.set(`step/${name}`, { dtype: 'int32', shape: [], data: Int32Array.of(slot.step) });
    }
    return { step: this.steps, moments };
  }

  /**
   * Replaces the whole state (step count and moments) with one from `exportState`. Validated
   * before anything changes; the next `step` checks moment shapes against the variables.
   */
  loadState(state: AdamWState): void {
    if (!Number.isInteger(state.step) || state.step < 0) throw new Error(`AdamW: invalid state step ${state.step}`);
    const parsed = new Map<string, { m?: HostTensor; v?: HostTensor; step?: number }>();
    const entry = (name: string) => {
      let e = parsed.get(name);
      if (!e) parsed.set(name, (e = {}));
      return e;
    };
    for (const [key, t] of state.moments) {
      const slash = key.indexOf('/');
      const kind = key.slice(0, slash);
      const name = key.slice(slash + 1);
      if (slash < 0 || !name || (kind !== 'm' && kind !== 'v' && kind !== 'step')) {
        throw new Error(`AdamW: unexpected state entry "${key}" (expected m/<name>, v/<name> or step/<name>)`);
      }
      if (t.data.length !== numElements(t.shape)) {
        throw new Error(`AdamW: state entry "${key}" has ${t.data.length} values for shape ${formatShape(t.shape)}`);
      }
      if (kind === 'step') {
        const s = t.data[0]!;
        if (t.data.length !== 1 || !Number.isInteger(s) || s < 1) throw new Error(`AdamW: invalid state entry "${key}"`);
        entry(name).step = s;
      } else {
        if (t.dtype !== 'float32') throw new Error(`AdamW: state entry "${key}" is ${t.dtype}, expected float32`);
        entry(name)[kind] = t;
      }
    }
    for (const [name, e] of parsed) {
      if (!e.m || !e.v) throw new Error(`AdamW: state for "${name}" lacks ${e.m ? 'v' : 'm'}/${name}`);
      if (!sameShape(e.m.shape, e.v.shape)) {
        throw new Error(`AdamW: m/${name} ${formatShape(e.m.shape)} and v/${name} ${formatShape(e.v.shape)} differ in shape`);
      }
      if (e.step === undefined && state.step < 1) throw new Error(`AdamW: moments for "${name}" in a state at step 0`);
    }
    this.dispose();
    for (const [name, e] of parsed) {
      this.slots.set(name, {
        m: hostVariable(e.m!),
        v: hostVariable(e.v!),
        step: e.step ?? state.step,
      });
    }
    this.steps = state.step;
  }

  /** Frees the moments and forgets the step count (a fresh optimizer). */
  dispose(): void {
    for (const slot of this.slots.values()) {
      slot.m.dispose();
      slot.v.dispose();
    }
    this.slots.clear();
    this.steps = 0;
  }
}

function zerosVariable(shape: number[]): tf.Variable {
  return tf.tidy(() => tf.variable(tf.zeros(shape, 'float32'), false));
}

function hostVariable(t: HostTensor): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor(Float32Array.from(t.data), t.shape.slice(), 'float32'), false));
}
