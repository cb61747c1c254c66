// The linear warmup/decay schedule vs Hugging Face's get_linear_schedule_with_warmup.
import { linearWarmupDecay, warmupStepsFrom } from '../../../src/train/optim/index.js';

/** transformers.optimization._get_linear_schedule_with_warmup_lr_lambda, times the base lr. */
function hf(peak: number, W: number, T: number, t: number): number {
  if (t < W) return peak * (t / Math.max(1, W));
  return peak * Math.max(0.0, (T - t) / Math.max(1, T - W));
}

describe('linearWarmupDecay', () => {
  it('key steps: 0, W−1, W, mid-decay, T−1, T, beyond', () => {
    const peak = 5e-5;
    const W = 10;
    const T = 100;
    const lr = linearWarmupDecay({ peakLr: peak, totalSteps: T, warmupSteps: W });
    expect(lr(0)).toBe(0); // HF's first optimizer step runs at lr 0
    expect(lr(1)).toBeCloseTo(peak / 10, 18);
    expect(lr(W - 1)).toBeCloseTo(peak * 0.9, 18);
    expect(lr(W)).toBe(peak);
    expect(lr(55)).toBeCloseTo(peak * 0.5, 18);
    expect(lr(T - 1)).toBeCloseTo(peak / 90, 18);
    expect(lr(T)).toBe(0);
    expect(lr(T + 1)).toBe(0);
    expect(lr(10 * T)).toBe(0);
    for (let t = 0; t <= T + 5; t++) expect(lr(t)).toBe(hf(peak, W, T, t));
    // warmup is increasing, decay is decreasing
    for (let t = 1; t <= W; t++) expect(lr(t)).toBeGreaterThan(lr(t - 1));
    for (let t = W + 1; t <= T; t++) expect(lr(t)).toBeLessThan(lr(t - 1));
  });

  it('no warmup starts at the peak; degenerate W ≥ T does not divide by zero', () => {
    const noWarm = linearWarmupDecay({ peakLr: 2, totalSteps: 4, warmupSteps: 0 });
    expect([0, 1, 2, 3, 4, 5].map(noWarm)).toEqual([2, 1.5, 1, 0.5, 0, 0]);
    const allWarm = linearWarmupDecay({ peakLr: 1, totalSteps: 4, warmupSteps: 4 });
    expect([0, 1, 2, 3, 4, 5].map(allWarm)).toEqual([0, 0.25, 0.5, 0.75, 0, 0]);
    const over = linearWarmupDecay({ peakLr: 1, totalSteps: 3, warmupSteps: 5 });
    for (let t = 0; t < 8; t++) expect(over(t)).toBe(hf(1, 5, 3, t));
    const empty = linearWarmupDecay({ peakLr: 1, totalSteps: 0, warmupSteps: 0 });
    expect(empty(0)).toBe(0);
  });

  it('validates', () => {
    expect(() => linearWarmupDecay({ peakLr: -1, totalSteps: 10, warmupSteps: 1 })).toThrow(RangeError);
    expect(() => linearWarmupDecay({ peakLr: 1, totalSteps: 10.5, warmupSteps: 1 })).toThrow(RangeError);
    expect(() => linearWarmupDecay({ peakLr: 1, totalSteps: 10, warmupSteps: -1 })).toThrow(RangeError);
    expect(() => linearWarmupDecay({ peakLr: 1, totalSteps: 10, warmupSteps: 1 })(-1)).toThrow(RangeError);
  });
});

describe('warmupStepsFrom (HF TrainingArguments.get_warmup_steps)', () => {
  it('ratio → ceil(ratio · T); explicit steps win; default 0', () => {
    expect(warmupStepsFrom({ warmupRatio: 0.1, totalSteps: 1000 })).toBe(100);
    expect(warmupStepsFrom({ warmupRatio: 0.06, totalSteps: 333 })).toBe(20); // 19.98 → 20
    expect(warmupStepsFrom({ warmupRatio: 0.1, totalSteps: 15 })).toBe(2); // 1.5 → 2
    expect(warmupStepsFrom({ warmupRatio: 0.1, totalSteps: 0 })).toBe(0);
    expect(warmupStepsFrom({ warmupSteps: 7, warmupRatio: 0.5, totalSteps: 100 })).toBe(7);
    expect(warmupStepsFrom({ warmupSteps: 0, warmupRatio: 0.5, totalSteps: 101 })).toBe(51);
    expect(warmupStepsFrom({ totalSteps: 100 })).toBe(0);
  });

  it('validates', () => {
    expect(() => warmupStepsFrom({ warmupRatio: 1.5, totalSteps: 10 })).toThrow(RangeError);
    expect(() => warmupStepsFrom({ warmupRatio: -0.1, totalSteps: 10 })).toThrow(RangeError);
    expect(() => warmupStepsFrom({ warmupSteps: 2.5, totalSteps: 10 })).toThrow(RangeError);
    expect(() => warmupStepsFrom({ totalSteps: -1 })).toThrow(RangeError);
  });
});
