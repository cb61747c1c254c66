/**
 * Writer for safetensors files. The result is a list of chunks (the 8-byte length prefix with the
 * JSON header, then each tensor's bytes) so a caller can stream them to a file or a Blob without
 * concatenating a second copy of the weights.
 */
import { inputError } from '../errors.js';
import { HOST_LITTLE_ENDIAN } from './dtypes.js';
import { formatShape, numElements, type HostTensor } from './named-tensor.js';

export type TensorCollection = Map<string, HostTensor> | Record<string, HostTensor>;

const FILE = 'safetensors output';

function checkTensor(name: string, t: HostTensor): void {
  const fail = (problem: string) => inputError(problem, { file: FILE, field: name });
  if (!name) throw fail('tensor names must not be empty');
  if (name === '__metadata__') throw fail('"__metadata__" is reserved for the metadata map');
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw fail(`shape must be non-negative integers, found ${JSON.stringify(t.shape)}`);
  }
  if (t.dtype === 'float32' ? !(t.data instanceof Float32Array) : t.dtype === 'int32' ? !(t.data instanceof Int32Array) : true) {
    throw fail(`dtype "${String(t.dtype)}" does not match its data (${t.data?.constructor?.name ?? typeof t.data})`);
  }
  if (t.data.length !== numElements(t.shape)) {
    throw fail(`shape ${formatShape(t.shape)} needs ${numElements(t.shape)} elements but data holds ${t.data.length}`);
  }
}

function tensorBytes(t: HostTensor): Uint8Array {
  if (HOST_LITTLE_ENDIAN) return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const out = new Uint8Array(t.data.byteLength);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < t.data.length; i++) {
    if (t.dtype === 'float32') dv.setFloat32(4 * i, t.data[i]!, true);
    else dv.setInt32(4 * i, t.data[i]!, true);
  }
  return out;
}

/**
 * Encodes tensors (float32 as F32, int32 as I32) as a safetensors file. Tensors are laid out in
 * name order (code-unit sort), and the JSON header is padded with spaces to a multiple of 8
 * bytes, as the reference Rust implementation does, so every tensor starts 8-byte aligned.
 * Tensor chunks are views of the tensors' own buffers (no copy) on little-endian hosts.
 */
export function encodeSafetensors(tensors: TensorCollection, metadata?: Record<string, string>): Uint8Array[] {
  const entries: [string, HostTensor][] = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]![0] === entries[i - 1]![0]) throw inputError('duplicate tensor name', { file: FILE, field: entries[i]![0] });
  }
  const parts: string[] = [];
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw inputError(`value of "${k}" must be a string`, { file: FILE, field: '__metadata__' });
    }
    parts.push(`"__metadata__":${JSON.stringify(metadata)}`);
  }
  let offset = 0;
  for (const [name, t] of entries) {
    checkTensor(name, t);
    const end = offset + t.data.byteLength;
    const dtype = t.dtype === 'float32' ? 'F32' : 'I32';
    parts.push(`${JSON.stringify(name)}:{"dtype":"${dtype}","shape":${JSON.stringify(t.shape)},"data_offsets":[${offset},${end}]}`);
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const padded = Math.ceil(json.byteLength / 8) * 8;
  const head = new Uint8Array(8 + padded);
  const dv = new DataView(head.buffer);
  dv.setUint32(0, padded % 2 ** 32, true);
  dv.setUint32(4, Math.floor(padded / 2 ** 32), true);
  head.set(json, 8);
  head.fill(0x20, 8 + json.byteLength);
  const chunks: Uint8Array[] = [head];
  for (const [, t] of entries) if (t.data.byteLength > 0) chunks.push(tensorBytes(t));
  return chunks;
}

/** Concatenates chunks into one buffer (for small files, tests and in-memory sources). */
export function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const c of chunks) total += c.byteLength;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
