import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { benchMarkdownTable, kernelCallsMarkdown, kernelProfileMarkdown, summarize, withHeadOverheads } from '@maxpoolbert/core';
import type { CompareChartData } from '../report/svg-chart.js';
import { collectVersions } from '../versions.js';
import type { BenchConfig, BenchSkip, PlanSettings } from './plan.js';
import type { CliBenchRecord } from './run-config.js';
import { describeConfig } from './spawn.js';

export const BENCH_SCHEMA = 'maxpoolbert-bench/1';

export const FLOP_FORMULA =
  'matmul FLOPs only, 2 per multiply-add; N = B·T: per layer 8·N·H² + 4·N·H·I + 4·B·T²·H; ' +
  '+ pooler 2·B·H² + classifier 2·B·H·C; + head (mha, max-seq-mha: 4·B·H² + 4·N·H² + 4·N·H; others 0); training step = 3 × forward';

export interface BenchFailure {
  config: BenchConfig;
  error: string;
  /** Out of memory: the same configuration was tried again at this batch size. */
  retriedWithBatch?: number;
}

/** The whole result file (`--json`). */
export interface BenchDocument {
  schema: typeof BENCH_SCHEMA;
  createdAt: string;
  machine: { platform: string; arch: string; cpu: string; cores: number; memoryGB: number; node: string; simd: string[] };
  versions: Record<string, string>;
  settings: Omit<PlanSettings, 'capped'> & { isolation: 'child-process' | 'in-process' };
  flopFormula: string;
  results: CliBenchRecord[];
  skipped: BenchSkip[];
  failed: BenchFailure[];
}

export function benchDocument(settings: BenchDocument['settings'], records: CliBenchRecord[], skipped: BenchSkip[], failed: BenchFailure[]): BenchDocument {
  const cpus = os.cpus();
  return {
    schema: BENCH_SCHEMA,
    createdAt: new Date().toISOString(),
    machine: {
      platform: os.platform(), arch: os.arch(), cpu: cpus[0]?.model.trim() ?? 'unknown', cores: cpus.length,
      memoryGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10, node: process.versions.node, simd: simdFlags(),
    },
    versions: collectVersions(),
    settings,
    flopFormula: FLOP_FORMULA,
    results: withHeadOverheads(records, (r) => `${r.backend}/${r.threads ?? ''}`),
    skipped,
    failed,
  };
}

/** The x86 vector extensions the CPU reports (Linux), which decide what WASM SIMD and native backends reach. */
function simdFlags(): string[] {
  try {
    const flags = new Set(/^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim().split(/\s+/) ?? []);
    return ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512_vnni'].filter((f) => flags.has(f));
  } catch {
    return [];
  }
}

/** The Markdown summary written next to the JSON: the table, skips, failures, profiles. */
export function benchMarkdown(doc: BenchDocument): string {
  const m = doc.machine;
  const lines = [
    `# maxpoolbert bench, ${doc.createdAt}`,
    '',
    `${m.cpu}${m.simd.length ? ` (${m.simd.join(', ')})` : ''}, ${m.cores} cores, ${m.memoryGB} GB, ${m.platform}/${m.arch}, Node ${m.node}, tfjs-core ${doc.versions['@tensorflow/tfjs-core'] ?? '?'}. ` +
      `${doc.settings.warmup} warm-up + ${doc.settings.runs} timed runs per row (median, min–max). FLOPs: ${doc.flopFormula}.`,
    '',
  ];
  if (doc.results.length) lines.push(benchMarkdownTable(doc.results), '');
  else lines.push('No results.', '');
  for (const s of doc.skipped) lines.push(`- skipped ${s.backend} ${s.preset}${s.mode ? ` ${s.mode}` : ''}: ${s.reason}`);
  for (const f of doc.failed) lines.push(`- **failed** ${describeConfig(f.config)}: ${f.error}${f.retriedWithBatch ? ` (retried at batch ${f.retriedWithBatch})` : ''}`);
  if (doc.skipped.length || doc.failed.length) lines.push('');
  for (const r of doc.results.filter((x) => x.profile)) {
    lines.push(`## Profile: ${describeConfig(r)}`, '', kernelProfileMarkdown(r.profile!), '', 'Most expensive kernel calls by input shapes:', '', kernelCallsMarkdown(r.profile!), '');
  }
  return lines.join('\n');
}

/**
 * The chart: one panel per (backend, preset, mode, batch × seq), a bar per head with the median
 * throughput and error bars of ± 1 std over the timed runs.
 */
export function benchChartData(doc: BenchDocument): CompareChartData {
  const panels = new Map<string, { name: string; label: string; higherIsBetter: boolean }>();
  const heads = new Map<string, CompareChartData['heads'][number]>();
  for (const r of doc.results) {
    const name = [r.backend, r.preset, r.mode, `${r.batch}x${r.seq}`].join(' ');
    panels.set(name, { name, label: `${r.backend} ${r.preset} ${r.batch}×${r.seq} ${r.mode}`, higherIsBetter: true });
    const head = heads.get(r.head) ?? { name: r.head, values: {}, curves: [] };
    const rates = r.timing.samplesMs.map((ms) => r.batch / (ms / 1000));
    head.values[name] = { ...summarize(rates), mean: r.itemsPerSecond };
    heads.set(r.head, head);
  }
  return {
    title: `maxpoolbert bench: throughput per head (${doc.machine.cores} cores, ${doc.createdAt.slice(0, 10)})`,
    metrics: [...panels.values()],
    heads: [...heads.values()],
    curveMetric: { name: '', label: '' },
    subtitle: `Bars: median sequences/s (inference) or examples/s (train) over ${doc.settings.runs} timed runs; error bars: ± 1 std over the runs.`,
    columns: 2,
  };
}
