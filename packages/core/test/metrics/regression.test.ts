import { averageRanks, meanSquaredError, pearson, spearman } from '../../src/metrics/regression';

describe('regression metrics', () => {
  // Hand-worked: x = 1..5, y = 2,4,5,4,5. Means 3 and 4; dx = -2,-1,0,1,2; dy = -2,0,1,0,1;
  // Sxy = 6, Sxx = 10, Syy = 6 -> r = 6 / sqrt(60).
  const x = [1, 2, 3, 4, 5];
  const y = [2, 4, 5, 4, 5];

  it('Pearson', () => {
    expect(pearson(x, y)).toBeCloseTo(6 / Math.sqrt(60), 12);
    expect(pearson(x, y)).toBeCloseTo(0.7745966692414834, 12);
    expect(pearson(x, x.map((v) => 3 * v - 1))).toBeCloseTo(1, 12);
    expect(pearson(x, x.map((v) => -v))).toBeCloseTo(-1, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBe(0); // constant: defined as 0
  });

  it('average ranks for ties (scipy rankdata "average")', () => {
    expect(averageRanks(y)).toEqual([1, 2.5, 4.5, 2.5, 4.5]);
    expect(averageRanks([3, 1, 3, 3])).toEqual([3, 1, 3, 3]);
    expect(averageRanks([0.5, -1, 2])).toEqual([2, 1, 3]);
  });

  it('Spearman with ties', () => {
    // Ranks of y: 1, 2.5, 4.5, 2.5, 4.5 (mean 3): dy = -2,-0.5,1.5,-0.5,1.5;
    // Sxy = 4+0.5+0-0.5+3 = 7, Sxx = 10, Syy = 9 -> rho = 7 / sqrt(90) (scipy: 0.7378647873726218).
    expect(spearman(x, y)).toBeCloseTo(7 / Math.sqrt(90), 12);
    expect(spearman(x, y)).toBeCloseTo(0.7378647873726218, 12);
    // Monotone but non-linear: Spearman 1, Pearson < 1.
    const cube = x.map((v) => v ** 3);
    expect(spearman(x, cube)).toBeCloseTo(1, 12);
    expect(pearson(x, cube)).toBeLessThan(0.99);
  });

  it('MSE', () => {
    expect(meanSquaredError([1, 2, 3], [1, 4, 0])).toBeCloseTo((0 + 4 + 9) / 3, 12);
    expect(() => meanSquaredError([NaN], [1])).toThrow(/predictions\[0\] is NaN/);
    expect(() => pearson([1, 2], [1])).toThrow(/2 predictions but 1 labels/);
  });
});
