import {
  computeMetrics, HIGHER_IS_BETTER, isBetter, isHigherBetter, isMetricName, METRIC_LABELS, METRIC_NAMES, summarize,
} from '../../src/metrics/index';
import * as data from '../../src/data/index';
import * as metrics from '../../src/metrics/index';

describe('computeMetrics', () => {
  it('classification: accuracy, F1 and MCC together', () => {
    const gold = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0];
    const pred = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1];
    const m = computeMetrics(['accuracy', 'f1', 'mcc'], pred, gold);
    expect(Object.keys(m)).toEqual(['accuracy', 'f1', 'mcc']);
    expect(m.accuracy).toBeCloseTo(9 / 12, 12);
    expect(m.f1).toBeCloseTo(12 / 15, 12); // 2*6 / (12 + 1 + 2)
    expect(m.mcc).toBeCloseTo(16 / Math.sqrt(1120), 12);
  });

  it('regression: Pearson, Spearman and MSE', () => {
    const m = computeMetrics(['pearson', 'spearman', 'mse'], [1, 2, 3, 4, 5], [2, 4, 5, 4, 5]);
    expect(m.pearson).toBeCloseTo(0.7745966692414834, 12);
    expect(m.spearman).toBeCloseTo(0.7378647873726218, 12);
    expect(m.mse).toBeCloseTo((1 + 4 + 4 + 0 + 0) / 5, 12);
  });

  it('rejects an unknown metric', () => {
    expect(() => computeMetrics(['bleu' as never], [1], [1])).toThrow(/unknown metric "bleu"/);
  });
});

describe('metric metadata', () => {
  it('labels and direction for every metric', () => {
    expect([...METRIC_NAMES].sort()).toEqual(Object.keys(METRIC_LABELS).sort());
    expect(METRIC_LABELS.mcc).toMatch(/Matthews/);
    expect(METRIC_NAMES.filter((n) => !HIGHER_IS_BETTER[n])).toEqual(['mse']);
    expect(isHigherBetter('accuracy')).toBe(true);
    expect(isHigherBetter('mse')).toBe(false);
    expect(isBetter('f1', 0.9, 0.8)).toBe(true);
    expect(isBetter('mse', 0.9, 0.8)).toBe(false);
    expect(isMetricName('pearson')).toBe(true);
    expect(isMetricName('loss')).toBe(false);
  });
});

describe('summarize', () => {
  it('mean, sample std (n-1), min, max', () => {
    const s = summarize([1, 2, 3, 4]);
    expect(s).toMatchObject({ mean: 2.5, min: 1, max: 4, n: 4 });
    expect(s.std).toBeCloseTo(Math.sqrt(5 / 3), 12); // sum of squares 5, over n-1 = 3
    expect(summarize([0.8, 0.82, 0.84]).std).toBeCloseTo(0.02, 12);
  });

  it('std is 0 for one value; no values is an error', () => {
    expect(summarize([0.7])).toEqual({ mean: 0.7, std: 0, min: 0.7, max: 0.7, n: 1 });
    expect(() => summarize([])).toThrow(/no values/);
  });
});

describe('public API', () => {
  it('index files export the data and metrics API', () => {
    for (const name of ['parseDelimited', 'parseTsv', 'parseCsv', 'parseJsonl', 'loadTable', 'GLUE_TASKS', 'glueTask', 'loadGlueFile', 'stratifiedSubset', 'makeBatches']) {
      expect(data).toHaveProperty(name);
    }
    for (const name of ['accuracy', 'f1Score', 'matthewsCorrcoef', 'confusionMatrix', 'pearson', 'spearman', 'meanSquaredError', 'computeMetrics', 'summarize', 'METRIC_LABELS']) {
      expect(metrics).toHaveProperty(name);
    }
  });
});
