import type * as tf from '@tensorflow/tfjs-core';

/**
 * What a kernel computed on the host (in JS) needs from a backend. The WASM backend writes
 * outputs into its heap (`makeOutput` + `typedArrayFromHeap`); the others take values through
 * `makeTensorInfo`. Both read inputs with `readSync`.
 */
interface HostCapableBackend {
  readSync(dataId: object): tf.backend_util.BackendValues;
  makeOutput?(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap?(info: tf.TensorInfo): tf.TypedArray;
  makeTensorInfo?(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}

export function readInput(backend: unknown, info: tf.TensorInfo): tf.TypedArray {
  return (backend as HostCapableBackend).readSync(info.dataId) as tf.TypedArray;
}

/** Allocates an output of `shape`, lets `fill` write its values, and hands it to the backend. */
export function writeOutput(
  backend: unknown,
  shape: number[],
  dtype: 'float32' | 'int32',
  fill: (out: Float32Array | Int32Array) => void,
): tf.TensorInfo {
  const b = backend as HostCapableBackend;
  if (b.makeOutput && b.typedArrayFromHeap) {
    const info = b.makeOutput(shape, dtype);
    const out = b.typedArrayFromHeap(info) as Float32Array | Int32Array;
    out.fill(0);
    fill(out);
    return info;
  }
  if (!b.makeTensorInfo) throw new Error('host kernel: this backend can neither makeOutput nor makeTensorInfo');
  const size = shape.reduce((a, c) => a * c, 1);
  const out = dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  fill(out);
  return b.makeTensorInfo(shape, dtype, out);
}
