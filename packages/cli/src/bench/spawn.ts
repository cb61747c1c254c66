import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MaxPoolBertError } from '@maxpoolbert/core';
import type { BenchConfig } from './plan.js';
import type { BenchEvent, CliBenchRecord } from './run-config.js';

/** The built child entry (dist/bench/child.js), from src/ (tests) or dist/ alike. */
const CHILD = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'dist', 'bench', 'child.js');

/**
 * Runs one configuration in a child process (so its peak RSS is its own) and returns its
 * record; `onEvent` sees every event as it arrives.
 */
export async function runConfigInChild(config: BenchConfig, onEvent: (e: BenchEvent) => void): Promise<CliBenchRecord> {
  const child = spawn(process.execPath, [CHILD, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (stderr += d));
  let record: CliBenchRecord | undefined;
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    let e: BenchEvent;
    try {
      e = JSON.parse(line) as BenchEvent;
    } catch {
      return; // a stray line from a library: not ours
    }
    if (e.event === 'result') record = e.record;
    onEvent(e);
  });
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, signal) => resolve(c ?? (signal ? 128 : 1)));
  });
  if (code !== 0 || !record) throw new BenchChildError(`benchmark ${describeConfig(config)} failed (exit ${code}): ${keyLine(stderr)}`, stderr);
  return record;
}

/** A child that failed; `stderr` is all it printed (to tell out-of-memory aborts from other errors). */
export class BenchChildError extends MaxPoolBertError {
  constructor(message: string, readonly stderr: string) {
    super(message);
  }
}

/** The line of a crash report worth showing: the error itself, not Node's version banner. */
function keyLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const errors = lines.filter((l) => /^(\w*Error\b|Aborted\(|RuntimeError)/.test(l));
  return errors[0] ?? lines.filter((l) => !/^Node\.js v/.test(l)).slice(-1)[0] ?? 'no output';
}

export function describeConfig(c: Pick<BenchConfig, 'backend' | 'head' | 'mode' | 'batch' | 'seq' | 'threads'> & { preset: string }): string {
  const threads = c.threads ? ` ${c.threads} thread${c.threads === 1 ? '' : 's'}` : '';
  return `${c.backend}${threads} ${c.preset} ${c.head} ${c.mode} ${c.batch}×${c.seq}`;
}
