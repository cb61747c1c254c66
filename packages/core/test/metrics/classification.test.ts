import { accuracy, binaryCounts, confusionMatrix, f1Score, matthewsCorrcoef, precision, recall } from '../../src/metrics/classification';

describe('classification metrics', () => {
  it('accuracy', () => {
    expect(accuracy([0, 1, 1, 0], [0, 1, 0, 0])).toBe(0.75);
    expect(accuracy(new Int32Array([2, 2]), [2, 1])).toBe(0.5);
  });

  it('confusion matrix and binary counts', () => {
    const pred = [1, 0, 1, 1, 0, 2];
    const gold = [1, 1, 0, 1, 0, 2];
    expect(confusionMatrix(pred, gold)).toEqual([
      [1, 1, 0],
      [1, 2, 0],
      [0, 0, 1],
    ]);
    expect(confusionMatrix([0], [0], 3)).toEqual([
      [1, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(binaryCounts([1, 0, 1, 1, 0], [1, 1, 0, 1, 0])).toEqual({ tp: 2, fp: 1, tn: 1, fn: 1 });
  });

  it('binary F1 of class 1 (sklearn f1_score average="binary")', () => {
    // tp=3, fp=0, fn=1: precision 1, recall 0.75, F1 = 6/7.
    expect(f1Score([0, 1, 0, 0, 1, 1], [0, 1, 1, 0, 1, 1])).toBeCloseTo(6 / 7, 12);
    expect(precision([0, 1, 0, 0, 1, 1], [0, 1, 1, 0, 1, 1])).toBe(1);
    expect(recall([0, 1, 0, 0, 1, 1], [0, 1, 1, 0, 1, 1])).toBe(0.75);
    // sklearn's doc example: f1_score([0,1,2,0,1,2], [0,2,1,0,0,1], average=None) -> [0.8, 0, 0].
    expect(f1Score([0, 2, 1, 0, 0, 1], [0, 1, 2, 0, 1, 2], 0)).toBeCloseTo(0.8, 12);
    expect(f1Score([0, 2, 1, 0, 0, 1], [0, 1, 2, 0, 1, 2], 1)).toBe(0);
    // tp=1, fp=2, fn=2: 2/(2+2+2) = 1/3.
    expect(f1Score([1, 1, 1, 0, 0], [1, 0, 0, 1, 1])).toBeCloseTo(1 / 3, 12);
    // No positives anywhere: 0 (sklearn zero_division default).
    expect(f1Score([0, 0], [0, 0])).toBe(0);
  });

  it('MCC: sklearn doc example and a hand-worked binary matrix', () => {
    // sklearn: matthews_corrcoef([+1, +1, +1, -1], [+1, -1, +1, +1]) = -0.33...
    expect(matthewsCorrcoef([1, 0, 1, 1], [1, 1, 1, 0])).toBeCloseTo(-1 / 3, 12);
    // tp=6, tn=3, fp=1, fn=2: (6*3 - 1*2) / sqrt(7*8*4*5) = 16 / sqrt(1120).
    const gold = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0];
    const pred = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1];
    expect(matthewsCorrcoef(pred, gold)).toBeCloseTo(16 / Math.sqrt(1120), 12);
    expect(matthewsCorrcoef(gold, gold)).toBe(1);
    expect(matthewsCorrcoef(gold.map((g) => 1 - g), gold)).toBe(-1);
  });

  it('MCC: multiclass (Gorodkin) by hand', () => {
    // correct 3 of 6, t = p = [2,2,2]: (3*6 - 12) / sqrt((36-12)(36-12)) = 0.25.
    expect(matthewsCorrcoef([0, 1, 1, 2, 2, 0], [0, 0, 1, 1, 2, 2])).toBeCloseTo(0.25, 12);
    // correct 3 of 4, t=[2,1,1], p=[1,2,1]: (3*4 - (2+2+1)) / sqrt((16-6)(16-6)) = 7/10.
    expect(matthewsCorrcoef([0, 1, 1, 2], [0, 0, 1, 2])).toBeCloseTo(0.7, 12);
  });

  it('MCC is 0 when undefined (all predictions one class)', () => {
    expect(matthewsCorrcoef([1, 1, 1, 1], [0, 1, 0, 1])).toBe(0);
    expect(matthewsCorrcoef([0, 1, 0, 1], [1, 1, 1, 1])).toBe(0);
  });

  it('rejects mismatched lengths, empty input and non-class-ids', () => {
    expect(() => accuracy([0, 1], [0])).toThrow(/accuracy: 2 predictions but 1 labels/);
    expect(() => accuracy([], [])).toThrow(/no predictions/);
    expect(() => matthewsCorrcoef([0.5], [1])).toThrow(/predictions\[0\] is 0.5, not a class id/);
  });
});
