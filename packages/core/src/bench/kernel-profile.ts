import * as tf from '@tensorflow/tfjs-core';
import { DENSE_KERNEL } from '../backend/kernels/fused-dense.js';

/** Time spent in one kernel type during a profiled step. */
export interface KernelTime {
  kernel: string;
  totalMs: number;
  count: number;
  /** Share of the summed kernel time, in %. */
  percent: number;
  /** Products only (BatchMatMul, core's dense kernel): FLOPs from the shapes (2·batch·m·k·n) and the rate they ran at. */
  flops?: number;
  gflops?: number;
}

/** Time spent in one kernel type at one set of input shapes. */
export interface KernelCallTime extends KernelTime {
  /** e.g. "[1024,768] [768,768]". */
  inputShapes: string;
}

export interface KernelProfile {
  /** Sorted by total time, largest first. */
  kernels: KernelTime[];
  /** The most expensive (kernel, input shapes) pairs, largest first (at most 25). */
  topCalls: KernelCallTime[];
  /** Sum of the kernels' own times. */
  kernelMs: number;
  /** Wall time of the whole profiled function (kernels + JS between them: the rest is overhead). */
  wallMs: number;
  /** tfjs's peak tensor bytes while it ran (`tf.profile().peakBytes`). */
  peakBytes: number;
  /** Tensors it left behind (`tf.profile().newTensors`). */
  newTensors: number;
}

/** Kernels whose FLOPs the profile counts: products (core's dense kernel is one with its bias). */
const MATMUL_KERNELS = new Set<string>([tf.BatchMatMul, '_FusedMatMul', DENSE_KERNEL]);

/**
 * FLOPs of one BatchMatMul from its shapes alone (the profile does not record the transpose
 * flags): the output is [..., m, n], and k follows from a's last two dimensions, whichever of
 * them is m.
 */
export function batchMatMulFlops(inputShapes: (number[] | null)[], outputShape: number[]): number {
  const a = inputShapes[0];
  if (!a || a.length < 2 || outputShape.length < 2) return 0;
  const m = outputShape[outputShape.length - 2];
  const n = outputShape[outputShape.length - 1];
  const batch = outputShape.slice(0, -2).reduce((x, y) => x * y, 1);
  const k = (a[a.length - 2] * a[a.length - 1]) / m;
  return 2 * batch * m * n * k;
}

/**
 * Runs `f` under `tf.profile` and sums the time per kernel type. On CPU backends a kernel's time
 * is its wall time; on GPU backends it is what the backend's timer reports (WebGPU: timestamp
 * queries when available). `f` should await a read of its result.
 */
export async function profileKernels(f: () => Promise<unknown>): Promise<KernelProfile> {
  const start = performance.now();
  const info = await tf.profile(async () => {
    await f();
  });
  const wallMs = performance.now() - start;
  const byName = new Map<string, KernelTime>();
  const byCall = new Map<string, KernelCallTime>();
  const add = <T extends KernelTime>(map: Map<string, T>, key: string, fresh: () => T, ms: number, flops?: number) => {
    const entry = map.get(key) ?? fresh();
    entry.totalMs += ms;
    entry.count++;
    if (flops !== undefined) entry.flops = (entry.flops ?? 0) + flops;
    map.set(key, entry);
  };
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const flops = MATMUL_KERNELS.has(k.name) ? batchMatMulFlops(k.inputShapes, k.outputShapes[0] ?? []) : undefined;
    const inputShapes = k.inputShapes.map((s) => `[${s ?? ''}]`).join(' ');
    add(byName, k.name, () => ({ kernel: k.name, totalMs: 0, count: 0, percent: 0 }), ms, flops);
    add(byCall, `${k.name} ${inputShapes}`, () => ({ kernel: k.name, inputShapes, totalMs: 0, count: 0, percent: 0 }), ms, flops);
  }
  const kernels = [...byName.values()].sort((a, b) => b.totalMs - a.totalMs);
  const topCalls = [...byCall.values()].sort((a, b) => b.totalMs - a.totalMs).slice(0, 25);
  const kernelMs = kernels.reduce((s, k) => s + k.totalMs, 0);
  for (const k of [...kernels, ...topCalls]) {
    k.percent = kernelMs > 0 ? (100 * k.totalMs) / kernelMs : 0;
    if (k.flops !== undefined) k.gflops = k.totalMs > 0 ? k.flops / k.totalMs / 1e6 : 0;
  }
  return { kernels, topCalls, kernelMs, wallMs, peakBytes: info.peakBytes, newTensors: info.newTensors };
}
