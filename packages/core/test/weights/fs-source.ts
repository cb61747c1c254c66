/** Test helpers: a file-system ModelSource, a spying wrapper, and the shared fixtures folder. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelSource } from '../../src/io/model-source.js';

/** `../shared` beside the repository root (/work/main), or $MAXPOOLBERT_SHARED. */
export const SHARED_DIR = process.env.MAXPOOLBERT_SHARED
  ? path.resolve(process.env.MAXPOOLBERT_SHARED)
  : path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared');
export const TINY_BERT_DIR = path.join(SHARED_DIR, 'fixtures', 'tiny-bert');
export const HEADS_DIR = path.join(SHARED_DIR, 'fixtures', 'heads');
/** This folder's own (generated, committed) fixtures. */
export const LOCAL_FIXTURES = path.join(__dirname, 'fixtures');

/** A model folder on disk; ranges are read with positioned reads into fresh buffers. */
export class FsModelSource implements ModelSource {
  constructor(readonly location: string) {}

  async has(name: string): Promise<boolean> {
    try {
      return (await fs.promises.stat(this.pathOf(name))).isFile();
    } catch {
      return false;
    }
  }

  async read(name: string): Promise<Uint8Array> {
    const b = await fs.promises.readFile(this.pathOf(name));
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }

  async size(name: string): Promise<number> {
    return (await fs.promises.stat(this.pathOf(name))).size;
  }

  async readRange(name: string, start: number, end: number): Promise<Uint8Array> {
    const fh = await fs.promises.open(this.pathOf(name), 'r');
    try {
      const out = new Uint8Array(Math.max(0, end - start));
      let got = 0;
      while (got < out.length) {
        const { bytesRead } = await fh.read(out, got, out.length - got, start + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === out.length ? out : out.subarray(0, got);
    } finally {
      await fh.close();
    }
  }

  async readText(name: string): Promise<string> {
    return fs.promises.readFile(this.pathOf(name), 'utf8');
  }

  pathOf(name: string): string {
    return path.join(this.location, name);
  }
}

export interface SourceCall {
  method: 'has' | 'read' | 'size' | 'readRange' | 'readText';
  name: string;
  bytes?: number;
}

/** Wraps a source and records every call (and how many bytes each read returned). */
export class SpySource implements ModelSource {
  readonly calls: SourceCall[] = [];
  constructor(private readonly inner: ModelSource) {}
  get location(): string {
    return this.inner.location;
  }
  async has(name: string) {
    this.calls.push({ method: 'has', name });
    return this.inner.has(name);
  }
  async read(name: string) {
    const out = await this.inner.read(name);
    this.calls.push({ method: 'read', name, bytes: out.byteLength });
    return out;
  }
  async size(name: string) {
    this.calls.push({ method: 'size', name });
    return this.inner.size(name);
  }
  async readRange(name: string, start: number, end: number) {
    const out = await this.inner.readRange(name, start, end);
    this.calls.push({ method: 'readRange', name, bytes: out.byteLength });
    return out;
  }
  async readText(name: string) {
    this.calls.push({ method: 'readText', name });
    return this.inner.readText(name);
  }
  pathOf(name: string) {
    return this.inner.pathOf(name);
  }
  /** Largest number of bytes a single read returned. */
  largestRead(): number {
    return Math.max(0, ...this.calls.map((c) => c.bytes ?? 0));
  }
}

/** Runs `fn` and returns the error it throws (failing when it does not throw). */
export async function errorOf(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, but none was thrown');
}
