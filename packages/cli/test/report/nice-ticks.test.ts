import { formatTick, niceStep, niceTicks } from '../../src/report/svg/nice-ticks';

function mantissa(step: number): number {
  return Number((step / 10 ** Math.floor(Math.log10(step) + 1e-9)).toPrecision(6));
}

describe('niceTicks', () => {
  it.each([
    [0, 1, 5, 0.2, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [0, 100, 5, 20, [0, 20, 40, 60, 80, 100]],
    [83.2, 86.9, 5, 1, [83, 84, 85, 86, 87]],
    [-0.13, 0.62, 5, 0.2, [-0.2, 0, 0.2, 0.4, 0.6, 0.8]],
    [0.601, 0.7349, 5, 0.02, [0.6, 0.62, 0.64, 0.66, 0.68, 0.7, 0.72, 0.74]],
    [50, 750, 8, 100, [0, 100, 200, 300, 400, 500, 600, 700, 800]],
    [-3, -1, 4, 0.5, [-3, -2.5, -2, -1.5, -1]],
  ])('(%s, %s, %s) → step %s', (lo, hi, count, step, values) => {
    const t = niceTicks(lo, hi, count);
    expect(t.step).toBeCloseTo(step, 12);
    expect(t.values).toEqual(values);
    expect(t.min).toBe(values[0]);
    expect(t.max).toBe(values[values.length - 1]);
  });

  it('widens an empty or non-finite range', () => {
    expect(niceTicks(0, 0).values.length).toBeGreaterThanOrEqual(2);
    const five = niceTicks(5, 5);
    expect(five.min).toBeLessThan(5);
    expect(five.max).toBeGreaterThan(5);
    expect(niceTicks(NaN, NaN).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(2, NaN).min).toBeLessThan(2);
    expect(niceTicks(3, 1)).toEqual(niceTicks(1, 3));
  });

  it('always gives covering, evenly spaced 1/2/5 × 10^k ticks without float noise', () => {
    let seed = 1;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 500; i++) {
      const scale = 10 ** Math.floor(rnd() * 10 - 5);
      const a = (rnd() - 0.5) * scale * 10;
      const b = a + rnd() * scale * 3;
      const t = niceTicks(a, b, 5);
      expect([1, 2, 5, 10]).toContain(mantissa(t.step));
      expect(t.min).toBeLessThanOrEqual(a + 1e-12 * Math.abs(a));
      expect(t.max).toBeGreaterThanOrEqual(b - 1e-12 * Math.abs(b));
      expect(t.values.length).toBeGreaterThanOrEqual(2);
      expect(t.values.length).toBeLessThanOrEqual(13);
      for (let k = 1; k < t.values.length; k++) expect(t.values[k] - t.values[k - 1]).toBeCloseTo(t.step, 9 - Math.log10(t.step));
      // No float noise: every tick is exactly its label (0.3, never 0.30000000000000004).
      for (const v of t.values) expect(Number(formatTick(v, t.step))).toBe(v);
    }
  });
});

describe('niceStep and formatTick', () => {
  it('rounds to the nearest 1/2/5 step in log terms', () => {
    expect(niceStep(10, 10)).toBe(1);
    expect(niceStep(13, 10)).toBe(1);
    expect(niceStep(15, 10)).toBe(2);
    expect(niceStep(35, 10)).toBe(5);
    expect(niceStep(75, 10)).toBe(10);
    expect(niceStep(0, 5)).toBe(1);
  });

  it('prints as many decimals as the step needs', () => {
    expect(formatTick(0.6, 0.02)).toBe('0.60');
    expect(formatTick(80, 5)).toBe('80');
    expect(formatTick(-0.2, 0.2)).toBe('-0.2');
    expect(formatTick(0, 0.05)).toBe('0.00');
  });
});
