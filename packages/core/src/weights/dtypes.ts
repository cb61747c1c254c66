/**
 * Decoding of raw little-endian tensor bytes (as stored in safetensors files and PyTorch zip
 * checkpoints) into the two host dtypes: float32 for floating point, int32 for integers.
 */
import { inputError } from '../errors.js';
import type { TensorDType } from './named-tensor.js';

/** On-disk element types that can be decoded, by their safetensors names. */
export type DiskDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

/** Bytes per element of each on-disk dtype. */
export const DISK_DTYPE_SIZE: Readonly<Record<DiskDType, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
};

/** Safetensors dtypes that exist in the format but cannot be represented as float32/int32 here. */
export const UNSUPPORTED_DISK_DTYPES: readonly string[] = ['F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F6_E2M3', 'F6_E3M2', 'F4', 'C64', 'C128'];

export function isDiskDType(name: string): name is DiskDType {
  return Object.prototype.hasOwnProperty.call(DISK_DTYPE_SIZE, name);
}

/** The host dtype a disk dtype decodes to. */
export function hostDTypeOf(dtype: DiskDType): TensorDType {
  return dtype === 'F64' || dtype === 'F32' || dtype === 'F16' || dtype === 'BF16' ? 'float32' : 'int32';
}

/** Whether this machine stores typed arrays little-endian (every mainstream platform does). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Exact IEEE half -> double conversion (subnormals, infinities and NaN included). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1024 + mant) * 2 ** (exp - 25);
}

let halfTable: Float32Array | undefined;
function getHalfTable(): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halfTable[h] = halfToFloat(h);
  }
  return halfTable;
}

/** bfloat16 bits -> float (the top 16 bits of a float32). */
export function bfloat16ToFloat(b: number): number {
  const u = new Uint32Array([b << 16]);
  return new Float32Array(u.buffer)[0]!;
}

export interface DecodeElementsWhere {
  file: string;
  field: string;
}

export interface DecodeElementsOptions {
  /**
   * When the bytes own their whole ArrayBuffer and need no conversion (F32/I32, aligned), the
   * result may be a view of that buffer instead of a copy. Only pass true when nobody else keeps
   * (or will be handed) the same bytes.
   */
  mayAlias?: boolean;
}

function int64Error(where: DecodeElementsWhere, index: number, lo: number, hi: number, dtype: 'I64' | 'U64' | 'U32'): Error {
  const value = dtype === 'U32' ? BigInt(lo >>> 0) : (BigInt(hi) << 32n) | BigInt(lo >>> 0);
  const shown = dtype === 'U64' ? BigInt.asUintN(64, value) : value;
  return inputError(`${dtype} element ${index} is ${shown}, outside the int32 range this toolkit stores integers in`, {
    ...where,
    fix: 'integer tensors must hold values in [-2147483648, 2147483647]; cast the tensor before saving',
  });
}

/**
 * Decodes little-endian elements of `dtype` from `bytes` (whose length must be a multiple of the
 * element size) into a new Float32Array or Int32Array.
 */
export function decodeElements(
  bytes: Uint8Array,
  dtype: DiskDType,
  where: DecodeElementsWhere,
  options: DecodeElementsOptions = {},
): Float32Array | Int32Array {
  const size = DISK_DTYPE_SIZE[dtype];
  if (bytes.byteLength % size !== 0) {
    throw inputError(`${bytes.byteLength} bytes is not a whole number of ${dtype} elements (${size} bytes each)`, where);
  }
  const n = bytes.byteLength / size;
  if (!HOST_LITTLE_ENDIAN) return decodeWithDataView(bytes, dtype, n, where);

  // Typed-array views need element alignment; copy unaligned bytes (a fresh copy is aligned).
  let mayAlias = options.mayAlias === true;
  let a = bytes;
  if (size > 1 && a.byteOffset % size !== 0) {
    a = a.slice();
    mayAlias = true;
  }
  const owns = mayAlias && a.byteOffset === 0 && a.buffer.byteLength === a.byteLength;
  const buf = a.buffer;
  const off = a.byteOffset;
  switch (dtype) {
    case 'F32': {
      const v = new Float32Array(buf, off, n);
      return owns ? v : v.slice();
    }
    case 'I32': {
      const v = new Int32Array(buf, off, n);
      return owns ? v : v.slice();
    }
    case 'F64':
      return new Float32Array(new Float64Array(buf, off, n));
    case 'F16': {
      const table = getHalfTable();
      const u = new Uint16Array(buf, off, n);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = table[u[i]!]!;
      return out;
    }
    case 'BF16': {
      const u = new Uint16Array(buf, off, n);
      const bits = new Uint32Array(n);
      for (let i = 0; i < n; i++) bits[i] = u[i]! << 16;
      return new Float32Array(bits.buffer);
    }
    case 'I64':
    case 'U64': {
      const w = new Int32Array(buf, off, 2 * n);
      const out = new Int32Array(n);
      const unsigned = dtype === 'U64';
      for (let i = 0; i < n; i++) {
        const lo = w[2 * i]!;
        const hi = w[2 * i + 1]!;
        if (unsigned ? hi !== 0 || lo < 0 : hi !== lo >> 31) throw int64Error(where, i, lo, hi, dtype);
        out[i] = lo;
      }
      return out;
    }
    case 'U32': {
      const u = new Int32Array(buf, off, n);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = u[i]!;
        if (v < 0) throw int64Error(where, i, v, 0, 'U32');
        out[i] = v;
      }
      return out;
    }
    case 'I16':
      return new Int32Array(new Int16Array(buf, off, n));
    case 'U16':
      return new Int32Array(new Uint16Array(buf, off, n));
    case 'I8':
      return new Int32Array(new Int8Array(buf, off, n));
    case 'U8':
      return new Int32Array(new Uint8Array(buf, off, n));
    case 'BOOL': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = a[i] ? 1 : 0;
      return out;
    }
  }
}

/** Portable path for big-endian hosts. */
function decodeWithDataView(bytes: Uint8Array, dtype: DiskDType, n: number, where: DecodeElementsWhere): Float32Array | Int32Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (hostDTypeOf(dtype) === 'float32') {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      switch (dtype) {
        case 'F64': out[i] = dv.getFloat64(8 * i, true); break;
        case 'F32': out[i] = dv.getFloat32(4 * i, true); break;
        case 'F16': out[i] = halfToFloat(dv.getUint16(2 * i, true)); break;
        default: out[i] = bfloat16ToFloat(dv.getUint16(2 * i, true)); break;
      }
    }
    return out;
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    switch (dtype) {
      case 'I64':
      case 'U64': {
        const lo = dv.getInt32(8 * i, true);
        const hi = dv.getInt32(8 * i + 4, true);
        if (dtype === 'U64' ? hi !== 0 || lo < 0 : hi !== lo >> 31) throw int64Error(where, i, lo, hi, dtype);
        out[i] = lo;
        break;
      }
      case 'U32': {
        const v = dv.getInt32(4 * i, true);
        if (v < 0) throw int64Error(where, i, v, 0, 'U32');
        out[i] = v;
        break;
      }
      case 'I32': out[i] = dv.getInt32(4 * i, true); break;
      case 'I16': out[i] = dv.getInt16(2 * i, true); break;
      case 'U16': out[i] = dv.getUint16(2 * i, true); break;
      case 'I8': out[i] = dv.getInt8(i); break;
      case 'U8': out[i] = dv.getUint8(i); break;
      default: out[i] = dv.getUint8(i) ? 1 : 0; break;
    }
  }
  return out;
}
