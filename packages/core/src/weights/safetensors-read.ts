/**
 * Reader for Hugging Face safetensors files:
 *   8 bytes   u64 little-endian N = header length
 *   N bytes   UTF-8 JSON {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}
 *   rest      the data section; offsets are relative to its start.
 * Everything is read through `ModelSource.readRange`: the prefix, the header, then one tensor at a
 * time, each converted straight into its typed array. A 1.3 GB file is never held as one buffer
 * or string, and the raw bytes of at most one tensor are alive next to the decoded tensors.
 */
import { inputError } from '../errors.js';
import type { ModelSource } from '../io/model-source.js';
import {
  DISK_DTYPE_SIZE,
  UNSUPPORTED_DISK_DTYPES,
  decodeElements,
  hostDTypeOf,
  isDiskDType,
} from './dtypes.js';
import { formatShape, numElements, type HostTensor } from './named-tensor.js';

/** The largest header the reference (Rust) implementation accepts. */
export const MAX_SAFETENSORS_HEADER_BYTES = 100_000_000;

/** One tensor entry of a safetensors header. */
export interface SafetensorsEntry {
  name: string;
  /** The dtype as written in the file (F32, F16, BF16, I64...). */
  dtype: string;
  shape: number[];
  /** Byte offsets relative to the start of the data section, [begin, end). */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  /** Display path of the file (from `source.pathOf`). */
  file: string;
  fileSize: number;
  /** N, the JSON header length in bytes. */
  headerLength: number;
  /** Absolute file offset of the data section (8 + N). */
  dataStart: number;
  /** Entries in header order. */
  entries: SafetensorsEntry[];
  /** The `__metadata__` map, when the file has one. */
  metadata?: Record<string, string>;
}

export interface ReadSafetensorsOptions {
  /** Only tensors whose name passes are read. */
  filter?: (name: string) => boolean;
  /** A header already read with `readSafetensorsHeader` (saves reading it again). */
  header?: SafetensorsHeader;
}

const FIX_CORRUPT = 'the file is truncated or not a safetensors file; download or export it again';
const SUPPORTED = Object.keys(DISK_DTYPE_SIZE).join(', ');

function isNonNegInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function describe(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Reads and fully validates the header of a safetensors file. */
export async function readSafetensorsHeader(source: ModelSource, fileName: string): Promise<SafetensorsHeader> {
  const file = source.pathOf(fileName);
  const fileSize = await source.size(fileName);
  if (fileSize < 8) {
    throw inputError(`file is ${fileSize} bytes, shorter than the 8-byte safetensors header length`, { file, fix: FIX_CORRUPT });
  }
  const prefix = await source.readRange(fileName, 0, 8);
  if (prefix.byteLength !== 8) {
    throw inputError(`could only read ${prefix.byteLength} of the first 8 bytes`, { file, fix: FIX_CORRUPT });
  }
  const pv = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const headerLength = pv.getUint32(4, true) * 2 ** 32 + pv.getUint32(0, true);
  if (headerLength > MAX_SAFETENSORS_HEADER_BYTES) {
    throw inputError(`header length ${headerLength} bytes is absurd (the limit is ${MAX_SAFETENSORS_HEADER_BYTES})`, {
      file,
      field: 'header',
      fix: FIX_CORRUPT,
    });
  }
  if (8 + headerLength > fileSize) {
    throw inputError(`header length ${headerLength} bytes runs past the end of the ${fileSize}-byte file`, {
      file,
      field: 'header',
      fix: FIX_CORRUPT,
    });
  }
  const headerBytes = await source.readRange(fileName, 8, 8 + headerLength);
  if (headerBytes.byteLength !== headerLength) {
    throw inputError(`could only read ${headerBytes.byteLength} of the ${headerLength} header bytes`, { file, field: 'header', fix: FIX_CORRUPT });
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (e) {
    throw inputError(`header is not valid UTF-8 JSON: ${(e as Error).message}`, { file, field: 'header', fix: FIX_CORRUPT });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw inputError(`header must be a JSON object, found ${Array.isArray(json) ? 'an array' : describe(json)}`, {
      file,
      field: 'header',
      fix: FIX_CORRUPT,
    });
  }

  const dataStart = 8 + headerLength;
  const dataLength = fileSize - dataStart;
  const entries: SafetensorsEntry[] = [];
  let metadata: Record<string, string> | undefined;

  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        throw inputError(`must be an object of strings, found ${describe(raw)}`, { file, field: '__metadata__', fix: FIX_CORRUPT });
      }
      metadata = {};
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') {
          throw inputError(`value of "${k}" must be a string, found ${describe(v)}`, { file, field: '__metadata__', fix: FIX_CORRUPT });
        }
        metadata[k] = v;
      }
      continue;
    }
    const fail = (problem: string, fix = FIX_CORRUPT) => inputError(problem, { file, field: name, fix });
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw fail(`header entry must be an object with dtype, shape and data_offsets, found ${describe(raw)}`);
    }
    const e = raw as Record<string, unknown>;
    for (const key of ['dtype', 'shape', 'data_offsets']) {
      if (!(key in e)) throw fail(`header entry has no "${key}"`);
    }
    const { dtype, shape, data_offsets: offsets } = e;
    if (typeof dtype !== 'string') throw fail(`dtype must be a string, found ${describe(dtype)}`);
    if (!isDiskDType(dtype)) {
      throw fail(
        UNSUPPORTED_DISK_DTYPES.includes(dtype) ? `dtype ${dtype} is not supported` : `unknown dtype "${dtype}"`,
        `supported dtypes: ${SUPPORTED}; re-save the checkpoint in float32`,
      );
    }
    if (!Array.isArray(shape) || !shape.every(isNonNegInt)) {
      throw fail(`shape must be an array of non-negative integers, found ${describe(shape)}`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegInt)) {
      throw fail(`data_offsets must be two non-negative integers [begin, end], found ${describe(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end) throw fail(`data_offsets [${begin},${end}] begin after they end`);
    if (end > dataLength) {
      throw fail(`data_offsets [${begin},${end}] run past the end of the ${dataLength}-byte data section`);
    }
    const expected = numElements(shape) * DISK_DTYPE_SIZE[dtype];
    if (expected !== end - begin) {
      throw fail(
        `shape ${formatShape(shape)} of ${dtype} needs ${expected} bytes but data_offsets [${begin},${end}] span ${end - begin}`,
      );
    }
    entries.push({ name, dtype, shape: [...shape], begin, end });
  }

  const spans = entries.filter((e) => e.end > e.begin).sort((a, b) => a.begin - b.begin || a.end - b.end);
  for (let i = 1; i < spans.length; i++) {
    const prev = spans[i - 1]!;
    const cur = spans[i]!;
    if (cur.begin < prev.end) {
      throw inputError(
        `data_offsets [${cur.begin},${cur.end}] overlap those of "${prev.name}" [${prev.begin},${prev.end}]`,
        { file, field: cur.name, fix: FIX_CORRUPT },
      );
    }
  }

  return { file, fileSize, headerLength, dataStart, entries, metadata };
}

/**
 * Reads the tensors of a safetensors file (all of them, or those passing `filter`), converting
 * floating-point dtypes to float32 and integer/bool dtypes to int32.
 */
export async function readSafetensors(
  source: ModelSource,
  fileName: string,
  opts: ReadSafetensorsOptions = {},
): Promise<Map<string, HostTensor>> {
  const header = opts.header ?? (await readSafetensorsHeader(source, fileName));
  const out = new Map<string, HostTensor>();
  for (const entry of header.entries) {
    if (opts.filter && !opts.filter(entry.name)) continue;
    const dtype = entry.dtype;
    if (!isDiskDType(dtype)) throw inputError(`unknown dtype "${dtype}"`, { file: header.file, field: entry.name });
    const where = { file: header.file, field: entry.name };
    let data: Float32Array | Int32Array;
    const length = entry.end - entry.begin;
    if (length === 0) {
      data = hostDTypeOf(dtype) === 'float32' ? new Float32Array(0) : new Int32Array(0);
    } else {
      const bytes = await source.readRange(fileName, header.dataStart + entry.begin, header.dataStart + entry.end);
      if (bytes.byteLength !== length) {
        throw inputError(`could only read ${bytes.byteLength} of its ${length} bytes`, { ...where, fix: FIX_CORRUPT });
      }
      data = decodeElements(bytes, dtype, where, { mayAlias: true });
    }
    out.set(entry.name, { dtype: hostDTypeOf(dtype), shape: [...entry.shape], data });
  }
  return out;
}
