import * as fs from 'node:fs';
import * as path from 'node:path';
import { MemoryModelSource } from '@maxpoolbert/core';

/** One request a UrlModelSource made. */
export interface Call {
  url: string;
  method: string;
  range?: string;
}

/** A fetch that records every request before passing it on to the real one. */
export function countingFetch(): { calls: Call[]; fetch: typeof fetch } {
  const calls: Call[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    calls.push({ url: String(input), method: init?.method ?? 'GET', range: headers.get('range') ?? undefined });
    return fetch(input, init);
  };
  return { calls, fetch: wrapped };
}

/** The files of a fixture folder, read from disk: the truth a URL source must reproduce. */
export function folderBytes(dir: string): Map<string, Uint8Array> {
  return new Map(
    fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => [f, new Uint8Array(fs.readFileSync(path.join(dir, f)))]),
  );
}

export function memorySource(dir: string): MemoryModelSource {
  return new MemoryModelSource(folderBytes(dir), dir);
}
