import * as tf from '@tensorflow/tfjs-core';
import { measureMatmulCeiling, runBench, type BackendInfo, type BenchRecord } from '@maxpoolbert/core';
import { startBackend } from '../backend.js';
import type { CliIo } from '../command.js';
import { availableParallelism } from 'node:os';
import { REFERENCE_BACKEND, type BenchConfig } from './plan.js';

/** A benchmark record as the CLI stores it: core's figures plus where and how much memory. */
export interface CliBenchRecord extends BenchRecord {
  /** The provider name (`--backend`), e.g. "wasm", "tfjs-node". */
  backend: string;
  device: string;
  backendVersion: string;
  /** Peak resident set size of the process that ran this configuration (`process.resourceUsage().maxRSS`). */
  peakRssMB: number;
  /** "configuration": a child process ran only this; "process": in-process, so the peak covers everything run before it. */
  rssScope: 'configuration' | 'process';
  /** Set when the configuration ran differently from the plan (e.g. a smaller batch after running out of memory). */
  note?: string;
  /** Threads of the backend's pool, where it has one (native, onnxruntime). */
  threads?: number;
}

/** What a configuration reports while it runs (the parent shows progress from these). */
export type BenchEvent =
  | { event: 'run'; index: number; warmup: boolean; ms: number }
  | { event: 'result'; record: CliBenchRecord };

/** Timed runs per ceiling shape (after one warm-up); the best is kept. */
const CEILING_RUNS = 3;

let started: { name: string; threads?: number; info: BackendInfo } | null = null;

/**
 * Runs one configuration in this process, starting its backend first when another one (or the
 * same with another thread count) is active; the onnxruntime reference runs outside tfjs.
 */
export async function runConfig(config: BenchConfig, io: CliIo, onEvent: (e: BenchEvent) => void, rssScope: CliBenchRecord['rssScope']): Promise<CliBenchRecord> {
  if (config.backend === REFERENCE_BACKEND) {
    const { runOnnxruntimeConfig } = await import('./onnxruntime/index.js');
    const threads = config.threads ?? availableParallelism();
    return runOnnxruntimeConfig({ preset: config.preset, batch: config.batch, seq: config.seq, threads, warmup: config.warmup, runs: config.runs }, onEvent, rssScope);
  }
  const wanted = { name: config.backend, threads: config.threads };
  if (started?.name !== wanted.name || started.threads !== wanted.threads || tf.getBackend() !== started.info.tfBackend) {
    const opts = { backend: config.backend, ...(config.threads ? { threads: String(config.threads) } : {}) };
    started = { ...wanted, info: await startBackend(opts, io) };
  }
  const info = started.info;
  // Measured in every configuration's own process, just before it: the ratio stays honest when
  // the machine's load changes between configurations.
  const ceiling = await measureMatmulCeiling({ runs: CEILING_RUNS });
  const record = await runBench({
    mode: config.mode,
    preset: config.preset,
    head: { type: config.head },
    batch: config.batch,
    seq: config.seq,
    warmup: config.warmup,
    runs: config.runs,
    profile: config.profile,
    ceiling,
    onRun: (r) => onEvent({ event: 'run', ...r }),
  });
  const result: CliBenchRecord = {
    backend: info.name,
    device: info.device,
    backendVersion: info.version,
    ...record,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    rssScope,
    ...(info.threads ? { threads: info.threads } : {}),
  };
  onEvent({ event: 'result', record: result });
  return result;
}
