import * as tf from '@tensorflow/tfjs-core';

interface KernelBackend {
  disposeData(dataId: object): void;
}

/** Swaps the last two axes. */
function lastTwoSwapped(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return perm;
}

/**
 * Wraps a backend's BatchMatMul so that transposed operands are transposed explicitly first.
 * tfjs-backend-wasm 4.22 multiplies transposed operands through a slow path: 1.9 GFLOP/s with
 * transposeB and 0.7 with transposeA, against 17–25 GFLOP/s for a plain product after an
 * explicit Transpose (1024×768 · 768×768, measured here). BERT's Linear layers (W stored
 * [out, in]) and every matmul gradient use those flags, so this makes WASM ~10× faster.
 */
export function transposingBatchMatMul(original: tf.KernelFunc, transpose: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return original(args);
    const backend = args.backend as unknown as KernelBackend;
    const temporaries: tf.TensorInfo[] = [];
    const explicit = (x: tf.TensorInfo) => {
      const t = transpose({ inputs: { x }, backend: args.backend, attrs: { perm: lastTwoSwapped(x.shape.length) } }) as tf.TensorInfo;
      temporaries.push(t);
      return t;
    };
    try {
      return original({
        ...args,
        inputs: { a: transposeA ? explicit(a) : a, b: transposeB ? explicit(b) : b },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
}
