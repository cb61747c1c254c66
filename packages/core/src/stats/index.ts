/**
 * Statistics for comparing scores over seeds (issue 13: say whether a difference is real):
 * t-tests, the Wilcoxon signed-rank test, a seeded bootstrap CI of the mean difference, Almost
 * Stochastic Order, and compareSamples, which puts them together with a verdict. Pure
 * TypeScript (distribution functions from stdlib), so it runs in Node and browsers.
 */
export type { TestResult } from './test-result.js';
export { pairedTTest, welchTTest } from './t-tests.js';
export { wilcoxonSignedRank } from './wilcoxon.js';
export { bootstrapMeanDifference, type Interval, type BootstrapOptions } from './bootstrap.js';
export { almostStochasticOrder, type AsoOptions } from './aso.js';
export { median } from './median.js';
export { compareSamples, type Verdict, type SampleComparison, type CompareSamplesOptions } from './compare-samples.js';
