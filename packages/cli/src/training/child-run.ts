import { spawn } from 'node:child_process';
import { createWriteStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MaxPoolBertError } from '@maxpoolbert/core';
import { RESULTS_FILE } from './checkpoint.js';
import { PARENT_PID_ENV } from './exit-with-parent.js';
import type { RunResult } from './run-training.js';

const BIN = fileURLToPath(new URL('../../bin/maxpoolbert.js', import.meta.url));

/**
 * Runs one `maxpoolbert train` in a child process (tfjs's WASM and CPU backends use one core
 * each, so parallel runs use the machine). Its output goes to `<runDir>/train.log`. The child
 * exits when this process dies, even of SIGKILL (see exit-with-parent.ts); `signal` stops it
 * (SIGTERM: it keeps its last checkpoint) when the caller gives up, e.g. after another run failed.
 */
export async function trainInChild(runDir: string, argv: string[], signal?: AbortSignal): Promise<RunResult> {
  signal?.throwIfAborted();
  await fsp.mkdir(runDir, { recursive: true });
  const logFile = path.join(runDir, 'train.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'train', ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, [PARENT_PID_ENV]: String(process.pid) },
    });
    const stop = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', stop, { once: true });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('error', reject);
    child.on('close', (c) => {
      signal?.removeEventListener('abort', stop);
      resolve(c ?? 1);
    });
  });
  await new Promise((r) => log.end(r));
  if (code !== 0 && signal?.aborted) throw new MaxPoolBertError(`run in ${runDir} stopped: another run failed (it continues from its last checkpoint when the compare is run again)`);
  if (code !== 0) {
    const tail = (await fsp.readFile(logFile, 'utf8')).trim().split('\n').slice(-1)[0];
    throw new MaxPoolBertError(`run in ${runDir} failed (exit ${code}): ${tail} (full log: ${logFile})`);
  }
  return JSON.parse(await fsp.readFile(path.join(runDir, RESULTS_FILE), 'utf8')) as RunResult;
}
