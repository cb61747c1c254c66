import type * as Ort from 'onnxruntime-node';

/**
 * onnxruntime-node, loaded on demand, and sessions made the one way the reference uses them.
 * It is a devDependency of the repository, not a dependency of the CLI (its package carries
 * native libraries for every platform, ~300 MB): the import is dynamic so that everything
 * else works where it is not installed, and only the onnxruntime reference fails, saying why.
 */
export type OrtModule = typeof Ort;
export type OrtSession = Ort.InferenceSession;

let loading: Promise<OrtModule> | undefined;

/** The onnxruntime-node module; rejects with an install hint when it cannot be loaded. */
export function loadOnnxruntime(): Promise<OrtModule> {
  loading ??= import('onnxruntime-node').then(
    // Node's ESM loader exposes a CommonJS package's exports as `default` (named exports only
    // where it can detect them statically); Jest's CommonJS transform gives them directly.
    (mod: unknown) => {
      const m = mod as Partial<OrtModule> & { default?: OrtModule };
      return (m.InferenceSession ? m : m.default) as OrtModule;
    },
    (err: unknown) => {
      loading = undefined;
      throw new Error(`onnxruntime-node cannot be loaded (${(err as Error).message?.split('\n')[0]}): install it with npm install -D onnxruntime-node`);
    },
  );
  return loading;
}

/** The onnxruntime-node version (e.g. "1.30.0"). */
export function onnxruntimeVersion(ort: OrtModule): string {
  return ort.env.versions.node ?? ort.env.versions.common;
}

/**
 * The settings every reference session uses: `threads` threads inside an operator (the same
 * count the tfjs backend is given), one between operators and sequential execution (a BERT
 * forward is one chain of operators, and parallel execution would only add threads), and all
 * of onnxruntime's graph optimisations: what a user of onnxruntime gets by default.
 */
export function referenceSessionOptions(threads: number, extra: Ort.InferenceSession.SessionOptions = {}): Ort.InferenceSession.SessionOptions {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be an integer >= 1, got ${threads}`);
  return {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Warnings only: onnxruntime's info log prints a line per optimisation pass and node.
    logSeverityLevel: 2,
    ...extra,
  };
}

/** A CPU session over an ONNX model file's bytes. */
export async function createReferenceSession(model: Uint8Array, threads: number, extra?: Ort.InferenceSession.SessionOptions): Promise<OrtSession> {
  const ort = await loadOnnxruntime();
  return ort.InferenceSession.create(model, referenceSessionOptions(threads, extra));
}

/** An int64 [B, T] input from int32 values (token ids, masks, token types). */
export function int64Tensor(ort: OrtModule, values: ArrayLike<number>, dims: [number, number]): Ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(Array.prototype.map.call(values, (v: number) => BigInt(v)) as bigint[]), dims);
}
