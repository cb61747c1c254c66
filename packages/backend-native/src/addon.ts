import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The functions the C++ addon exports (see native/*.h for each one's arguments). */
export interface NativeAddon {
  setThreads(n: number): number;
  getThreads(): number;
  libraryInfo(): { library: string; cpuRuntime: string; threads: number; cores: number };
  batchMatMul(heap: ArrayBuffer, a: number, b: number, out: number, aBatch: Int32Array, bBatch: Int32Array, m: number, n: number, k: number, transposeA: boolean, transposeB: boolean): void;
  /** out = x · Wᵀ + b: x [m, k], weight [n, k], bias [n]. */
  dense(heap: ArrayBuffer, x: number, weight: number, bias: number, out: number, m: number, n: number, k: number): void;
  binary(op: number, heap: ArrayBuffer, a: number, b: number, out: number, aShape: Int32Array, bShape: Int32Array): void;
  unary(op: number, heap: ArrayBuffer, x: number, out: number, size: number): void;
  reduce(op: number, heap: ArrayBuffer, x: number, out: number, outer: number, n: number, inner: number): void;
  softmax(heap: ArrayBuffer, x: number, out: number, rows: number, cols: number): void;
  transpose(heap: ArrayBuffer, x: number, out: number, shape: Int32Array, perm: Int32Array): void;
  adamw(heap: ArrayBuffer, p: number, m: number, v: number, g: number, pOut: number, mOut: number, vOut: number, size: number,
    beta1: number, beta2: number, epsilon: number, stepSize: number, bc2Sqrt: number, decayFactor: number, scale: number): void;
  /** Returns -1, or the position of the first index out of range (nothing written). */
  gather(heap: ArrayBuffer, x: number, indices: number, out: number, outer: number, axisSize: number, inner: number, count: number): number;
  gelu(heap: ArrayBuffer, x: number, out: number, size: number): void;
  cast(heap: ArrayBuffer, x: number, out: number, size: number, from: number, to: number): void;
  unsortedSegmentSum(heap: ArrayBuffer, x: number, ids: number, out: number, rows: number, inner: number, numSegments: number): void;
  geluGrad(heap: ArrayBuffer, dy: number, x: number, out: number, size: number): void;
  layerNorm(heap: ArrayBuffer, x: number, gamma: number, beta: number, out: number, rows: number, cols: number, epsilon: number): void;
  /** wrt: 0 → dx, 1 → dgamma, 2 → dbeta. */
  layerNormGrad(heap: ArrayBuffer, dy: number, x: number, gamma: number, out: number, wrt: number, rows: number, cols: number, epsilon: number): void;
}

/** The package root (src/ and dist/ both sit one level below it). */
const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const addonPath = path.join(packageRoot, 'build', 'Release', 'maxpoolbert_native.node');
const statusPath = path.join(packageRoot, 'build', 'native-status.json');

export const NATIVE_BUILD_HINT =
  'apt-get install g++ libdnnl-dev (Debian/Ubuntu), then npm run build (or npm run build:addon -w @maxpoolbert/backend-native to see the compiler output)';

let loaded: { addon: NativeAddon } | { reason: string } | null = null;

/** Why the build left no addon, from the status file the build script writes. */
function buildFailure(): string {
  try {
    const status = JSON.parse(readFileSync(statusPath, 'utf8')) as { built?: boolean; reason?: string };
    if (status.built === false && status.reason) return `not built: ${status.reason}`;
  } catch {
    // no status file: the package was never built
  }
  return `not built (${NATIVE_BUILD_HINT})`;
}

/** Loads the addon once; null, with {@link nativeUnavailableReason}, where it is not built or cannot load. */
export function loadNativeAddon(): NativeAddon | null {
  if (!loaded) {
    if (process.env.MAXPOOLBERT_NATIVE === 'off') {
      loaded = { reason: 'turned off by MAXPOOLBERT_NATIVE=off' };
    } else if (!existsSync(addonPath)) {
      loaded = { reason: buildFailure() };
    } else {
      try {
        loaded = { addon: createRequire(import.meta.url)(addonPath) as NativeAddon };
      } catch (err) {
        // E.g. libdnnl.so.2 removed since the build: the loader's message names the library.
        loaded = { reason: `the addon does not load: ${(err as Error).message.split('\n')[0]} (${NATIVE_BUILD_HINT})` };
      }
    }
  }
  return 'addon' in loaded ? loaded.addon : null;
}

/** One line saying why the native backend is missing here and how to get it; null when it loads. */
export function nativeUnavailableReason(): string | null {
  loadNativeAddon();
  return loaded && 'reason' in loaded ? loaded.reason : null;
}

/** This package's version (read from its package.json, wherever the package was installed). */
export function nativePackageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
