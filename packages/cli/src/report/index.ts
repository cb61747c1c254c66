export { CompareProgress, type CompareProgressOptions } from './compare-progress.js';
export { ProgressReporter, formatClock, formatFields, formatRate, formatSignificant, renderBar, type ProgressFields, type ProgressOptions } from './progress.js';
export { formatDuration, formatMeanStd, formatTable, type Align, type TableOptions } from './table.js';
export { barDomain, meanCurve, niceTicks, renderCompareSvg, type CompareChartData, type Ticks } from './svg-chart.js';
