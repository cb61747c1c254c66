/** Test helpers for the model tests: a small seeded JS PRNG, plain-JS reference math, fixture files. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TINY_BERT_DIR } from '../../../../testing/shared-fixtures';
import { MemoryModelSource } from '../../src/io/model-source.js';
export { lcg, randomArray, errorOf } from '../../../../testing/test-utils';

/** Row-major flat array → nested [rows][cols]. */
export function chunk<T>(flat: ArrayLike<T>, cols: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < flat.length; i += cols) out.push(Array.from({ length: cols }, (_, j) => flat[i + j]!));
  return out;
}

/** The tiny-bert fixture folder's files, read from disk (never modified on disk). */
export function tinyBertFiles(): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const name of fs.readdirSync(TINY_BERT_DIR)) {
    if (name === 'goldens.json') continue;
    const b = fs.readFileSync(path.join(TINY_BERT_DIR, name));
    files.set(name, new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  }
  return files;
}

export function memorySource(files: Map<string, Uint8Array>, location = '/models/tiny'): MemoryModelSource {
  return new MemoryModelSource(files, location);
}

/** Bitwise equality of two float32 arrays (NaN-safe, distinguishes -0). */
export function bitEqual(a: Float32Array | Int32Array, b: Float32Array | Int32Array): boolean {
  if (a.length !== b.length) return false;
  const ua = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const ub = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return false;
  return true;
}
