import type * as tf from '@tensorflow/tfjs-core';

/**
 * The parts of tfjs-backend-wasm's `BackendWasm` the native kernels use. Every tensor of the
 * backend is a block of the WASM module's heap; kernels pass that heap and byte offsets to C++,
 * which reads and writes it in place.
 */
export interface WasmHeapBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: object): boolean;
}

export function asHeapBackend(backend: unknown): WasmHeapBackend {
  return backend as WasmHeapBackend;
}

/** Byte offset of a tensor's data in the heap. */
export function offsetOf(backend: WasmHeapBackend, t: tf.TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) throw new Error('native kernel: tensor not on this backend');
  return data.memoryOffset;
}

/**
 * The heap's current ArrayBuffer. Read it after every allocation: growing WASM memory replaces
 * the buffer (the old one is detached).
 */
export function heapOf(backend: WasmHeapBackend): ArrayBuffer {
  return backend.wasm.HEAPU8.buffer as ArrayBuffer;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
