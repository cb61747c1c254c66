import type { BenchMode, BertPreset } from '@maxpoolbert/core';

/** One benchmark configuration: what one child process runs. */
export interface BenchConfig {
  backend: string;
  preset: BertPreset;
  head: string;
  mode: BenchMode;
  batch: number;
  seq: number;
  warmup: number;
  runs: number;
  profile: boolean;
  /** Threads of the backend's pool, for the backends that have one ({@link THREADED_BACKENDS}). */
  threads?: number;
}

/** Backends whose thread count is a setting: `--threads` runs each of them once per count. */
export const THREADED_BACKENDS = new Set(['native', 'onnxruntime']);

/** The onnxruntime reference runs our BERT as an ONNX graph: inference, no pooling heads. */
export const REFERENCE_BACKEND = 'onnxruntime';

/** A configuration left out (or cut down), and why: shown in the output. */
export interface BenchSkip {
  backend: string;
  preset: BertPreset;
  mode?: BenchMode;
  reason: string;
}

export interface PlanSettings {
  backends: string[];
  presets: BertPreset[];
  heads: string[];
  batches: number[];
  seqs: number[];
  train: boolean;
  warmup: number;
  runs: number;
  profile: boolean;
  /** Thread counts for the backends with a pool (`--threads`; default: every core). */
  threads: number[];
  /** `--preset all` / `--backend all`: apply the caps below (named presets always run as asked). */
  capped: boolean;
}

/**
 * Caps for `--preset all` (`npm run bench`: every preset on every backend in a sensible time on
 * 2 cores). The pure-JS cpu backend multiplies at ~1 GFLOP/s, 25× slower than WASM: it trains
 * only tiny, runs mini and small inference with fewer runs and leaves medium and base out.
 * bert-large is left out everywhere. A preset named explicitly always runs as asked.
 */
export function capFor(backend: string, preset: BertPreset): { skip?: string; inferenceOnly?: string; maxRuns?: number } {
  if (preset === 'large') {
    return { skip: 'bert-large (335M parameters) is left out of --preset all: one forward at 8×128 takes ~3× bert-base, and fine-tuning needs ~5.4 GB for weights, gradients and AdamW moments alone, beyond the 4 GB WASM heap; run it with --preset large' };
  }
  if (backend === 'cpu' && (preset === 'medium' || preset === 'base')) {
    return { skip: `bert-${preset} on the pure-JS cpu backend is left out of --preset all: at ~1 GFLOP/s one forward at 8×128 takes ${preset === 'base' ? '~4' : '~1.5'} minutes on 2 cores; run it with --backend cpu --preset ${preset}` };
  }
  if (backend === 'cpu' && (preset === 'mini' || preset === 'small')) {
    return { inferenceOnly: `bert-${preset} on the pure-JS cpu backend: inference only, ${preset === 'mini' ? 3 : 2} timed runs (one training step takes ${preset === 'mini' ? '~50 s' : '~3 min'} on 2 cores)`, maxRuns: preset === 'mini' ? 3 : 2 };
  }
  return {};
}

/** Every configuration to run, in order (backend, preset, mode, batch, seq, head), and what was skipped. */
export function planBench(s: PlanSettings): { configs: BenchConfig[]; skipped: BenchSkip[] } {
  const configs: BenchConfig[] = [];
  const skipped: BenchSkip[] = [];
  for (const backend of s.backends) {
    for (const preset of s.presets) {
      const cap = s.capped ? capFor(backend, preset) : {};
      if (cap.skip) {
        skipped.push({ backend, preset, reason: cap.skip });
        continue;
      }
      const reference = backend === REFERENCE_BACKEND;
      const modes: BenchMode[] = ['inference'];
      if (s.train && !cap.inferenceOnly && !reference) modes.push('train');
      if (s.train && cap.inferenceOnly) skipped.push({ backend, preset, mode: 'train', reason: cap.inferenceOnly });
      if (s.train && reference) skipped.push({ backend, preset, mode: 'train', reason: 'the onnxruntime reference times inference only (the targets compare inference with it)' });
      const runs = Math.min(s.runs, cap.maxRuns ?? Infinity);
      // The reference is plain BERT with the pooler and a classifier: what the cls head runs.
      const headsHere = reference ? ['cls'] : s.heads;
      const threadCounts: (number | undefined)[] = THREADED_BACKENDS.has(backend) ? s.threads : [undefined];
      for (const threads of threadCounts) {
        for (const mode of modes) {
          for (const batch of s.batches) {
            for (const seq of s.seqs) {
              for (const head of headsHere) {
                configs.push({ backend, preset, head, mode, batch, seq, warmup: s.warmup, runs, profile: s.profile && !reference, ...(threads ? { threads } : {}) });
              }
            }
          }
        }
      }
    }
  }
  return { configs, skipped };
}
