import type { KernelProfile } from './kernel-profile.js';
import type { BenchRecord } from './run-bench.js';

/** What a host adds to a record (Node: the provider name and the child process's peak RSS). */
export interface HostFields {
  backend?: string;
  peakRssMB?: number;
}

function fixed(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

function signed(percent: number | null): string {
  return percent === null ? '–' : `${percent >= 0 ? '+' : ''}${fixed(percent, 1)} %`;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(headers: string[], rows: string[][], rightFrom = 1): string {
  const align = headers.map((_, i) => (i >= rightFrom ? '---:' : '---'));
  return [row(headers), row(align), ...rows.map(row)].join('\n');
}

/** The summary table of a benchmark run, one row per record, as GitHub Markdown. */
export function benchMarkdownTable(records: (BenchRecord & HostFields)[]): string {
  const headers = [
    'backend', 'preset', 'head', 'mode', 'B×T', 'step ms median (min–max)', 'items/s', 'GFLOP/s', 'ceiling GFLOP/s', 'of ceiling',
    'head overhead (median, best)', 'peak RSS MB', 'peak tensor MB', 'leaked/step',
  ];
  const rows = records.map((r) => [
    r.backend ?? r.tfBackend,
    r.preset,
    r.head,
    r.mode,
    `${r.batch}×${r.seq}`,
    `${fixed(r.timing.medianMs, 1)} (${fixed(r.timing.minMs, 1)}–${fixed(r.timing.maxMs, 1)})`,
    fixed(r.itemsPerSecond, 2),
    fixed(r.gflops.median, 2),
    fixed(r.ceiling.gflops, 2),
    `${fixed(100 * r.ceilingRatio, 0)} %`,
    r.headOverheadPercent === null ? '–' : `${signed(r.headOverheadPercent)} (best ${signed(r.headOverheadPercentBest)})`,
    fixed(r.peakRssMB, 0),
    fixed(r.memory.peakStepBytes / 2 ** 20, 0),
    fixed(r.leakedTensorsPerStep, 0),
  ]);
  return table(headers, rows, 5);
}

/** A kernel profile as a Markdown table: the `top` kernel types by time, the rest summed. */
export function kernelProfileMarkdown(profile: KernelProfile, top = 15): string {
  const shown = profile.kernels.slice(0, top);
  const rest = profile.kernels.slice(top);
  const rows = shown.map((k) => [k.kernel, fixed(k.totalMs, 1), String(k.count), `${fixed(k.percent, 1)} %`, k.gflops === undefined ? '' : fixed(k.gflops, 1)]);
  if (rest.length) {
    const ms = rest.reduce((s, k) => s + k.totalMs, 0);
    rows.push([`${rest.length} other kernel types`, fixed(ms, 1), String(rest.reduce((s, k) => s + k.count, 0)), `${fixed(profile.kernelMs > 0 ? (100 * ms) / profile.kernelMs : 0, 1)} %`, '']);
  }
  rows.push(['**all kernels**', fixed(profile.kernelMs, 1), String(profile.kernels.reduce((s, k) => s + k.count, 0)), '100 %', '']);
  rows.push(['wall time of the step', fixed(profile.wallMs, 1), '', '', '']);
  return table(['kernel', 'total ms', 'count', '% of kernel time', 'GFLOP/s'], rows);
}

/** The most expensive (kernel, input shapes) pairs of a profile as a Markdown table. */
export function kernelCallsMarkdown(profile: KernelProfile, top = 12): string {
  const rows = profile.topCalls.slice(0, top).map((k) => [
    k.kernel, k.inputShapes, fixed(k.totalMs, 1), String(k.count), `${fixed(k.percent, 1)} %`, k.gflops === undefined ? '' : fixed(k.gflops, 1),
  ]);
  return table(['kernel', 'input shapes', 'total ms', 'count', '% of kernel time', 'GFLOP/s'], rows, 2);
}
