import { formatDuration } from '../report/table.js';
import type { RunResult } from './run-training.js';

/** The few lines `train` prints at the end. */
export function formatRunSummary(r: RunResult): string {
  const metrics = r.best ? Object.entries(r.best.metrics).map(([k, v]) => `${k} ${(v as number).toFixed(4)}`).join(', ') : 'no dev evaluation';
  return [
    `${r.head} on ${r.data}, seed ${r.seed}: ${r.steps} steps in ${formatDuration(r.trainSeconds)} (${r.backend})${r.stoppedEarly ? ', stopped early' : ''}`,
    `best dev (step ${r.best?.step ?? '-'}): ${metrics}`,
    `best model: ${r.bestModel}`,
  ].join('\n') + '\n';
}
