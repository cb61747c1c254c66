/** Test helpers for the model tests: a small seeded JS PRNG, plain-JS reference math, fixture files. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TINY_BERT_DIR } from '../../../../testing/shared-fixtures';
import { MemoryModelSource } from '../../src/io/model-source.js';

/** Independent of src/random: a linear congruential generator, uniform in [-scale, scale). */
export function lcg(seed: number): (scale?: number) => number {
  let s = seed >>> 0;
  return (scale = 1) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 4294967296 * 2 - 1) * scale;
  };
}

/** `n` float32-representable numbers from `rand`. */
export function randomArray(n: number, rand: (scale?: number) => number, scale = 1): number[] {
  return Array.from({ length: n }, () => Math.fround(rand(scale)));
}

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

/** The rejection of a promise (or the throw of a function); fails the test when there is none. */
export async function errorOf(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error, but none was thrown');
}

/** Bitwise equality of two float32 arrays (NaN-safe, distinguishes -0). */
export function bitEqual(a: Float32Array | Int32Array, b: Float32Array | Int32Array): boolean {
  if (a.length !== b.length) return false;
  const ua = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const ub = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return false;
  return true;
}
