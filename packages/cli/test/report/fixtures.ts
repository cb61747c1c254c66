import type { CompareChartData } from '../../src/report/svg-chart';

/** A deterministic pseudo-random stream, so fixtures are the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Learning curves that rise towards `final`, one per seed, evaluated every `every` steps. */
export function fakeCurves(final: number, seeds: number, steps: number, every: number, seed: number): { step: number; value: number }[][] {
  const rnd = lcg(seed);
  return Array.from({ length: seeds }, () =>
    Array.from({ length: Math.floor(steps / every) }, (_, i) => {
      const step = (i + 1) * every;
      const value = final - (final - 0.5) * Math.exp(-step / (steps / 4)) + (rnd() - 0.5) * 0.02;
      return { step, value: Number(value.toFixed(4)) };
    }),
  );
}

function summary(values: number[]) {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, min: Math.min(...values), max: Math.max(...values), n };
}

/** Something like what `maxpoolbert compare` reports on SST-2: 4 heads, 3 seeds. */
export function realisticCompare(): CompareChartData {
  const heads: [string, number[], number[]][] = [
    ['cls', [83.9, 85.1, 82.6], [0.678, 0.702, 0.652]],
    ['mean-pool', [84.4, 84.9, 83.8], [0.688, 0.698, 0.676]],
    ['max-seq-2', [85.6, 86.2, 84.7], [0.712, 0.724, 0.694]],
    ['mha-max-seq-3 <L=3 & w/ mask>', [86.1, 85.3, 86.8], [0.722, 0.706, 0.736]],
  ];
  return {
    title: 'SST-2 (4000 train examples), 3 seeds',
    metrics: [
      { name: 'accuracy', label: 'Accuracy (%)', higherIsBetter: true },
      { name: 'mcc', label: 'MCC', higherIsBetter: true },
    ],
    heads: heads.map(([name, acc, mcc], i) => ({
      name,
      values: { accuracy: summary(acc), mcc: summary(mcc) },
      curves: fakeCurves(acc.reduce((a, b) => a + b) / 300, 3, 750, 50, 7 + i),
    })),
    curveMetric: { name: 'accuracy', label: 'Dev accuracy' },
  };
}

export { summary };
