import { spawn } from 'node:child_process';
import { createWriteStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MaxPoolBertError } from '@maxpoolbert/core';
import { RESULTS_FILE } from './checkpoint.js';
import { PARENT_PID_ENV } from './exit-with-parent.js';
import type { RunResult } from './run-training.js';

/** A `train` child that did not succeed: how it ended tells a crash (signal) from a failure (exit code). */
export class ChildRunFailure extends MaxPoolBertError {
  constructor(message: string, readonly exitCode: number | undefined, readonly signal: NodeJS.Signals | undefined) {
    super(message);
  }
}

const BIN = fileURLToPath(new URL('../../bin/maxpoolbert.js', import.meta.url));

/**
 * Runs one `maxpoolbert train` in a child process (tfjs's WASM and CPU backends use one core
 * each, so parallel runs use the machine). Its output goes to `<runDir>/train.log`. The child
 * exits when this process dies, even of SIGKILL (see exit-with-parent.ts); `signal` stops it
 * (SIGTERM: it keeps its last checkpoint) when the caller gives up, e.g. after another run failed.
 * `env` adds to the child's environment (a queue worker names the job there, see out-lock.ts); an
 * undefined value removes a variable.
 */
export async function trainInChild(runDir: string, argv: string[], signal?: AbortSignal, env: Record<string, string | undefined> = {}): Promise<RunResult> {
  signal?.throwIfAborted();
  await fsp.mkdir(runDir, { recursive: true });
  const logFile = path.join(runDir, 'train.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  const { code, signal: killedBy } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'train', ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env, [PARENT_PID_ENV]: String(process.pid) },
    });
    const stop = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', stop, { once: true });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('error', reject);
    child.on('close', (c, s) => {
      signal?.removeEventListener('abort', stop);
      resolve({ code: c, signal: s });
    });
  });
  await new Promise((r) => log.end(r));
  if (code !== 0 && signal?.aborted) {
    throw new ChildRunFailure(`run in ${runDir} stopped (it continues from its last checkpoint when the compare is run again)`, code ?? undefined, killedBy ?? undefined);
  }
  if (code !== 0) {
    const tail = (await fsp.readFile(logFile, 'utf8')).trim().split('\n').slice(-1)[0];
    const how = killedBy ? `killed by ${killedBy}` : `exit ${code}`;
    throw new ChildRunFailure(`run in ${runDir} failed (${how}): ${tail} (full log: ${logFile})`, code ?? undefined, killedBy ?? undefined);
  }
  return JSON.parse(await fsp.readFile(path.join(runDir, RESULTS_FILE), 'utf8')) as RunResult;
}
