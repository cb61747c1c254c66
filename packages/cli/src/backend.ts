import * as tf from '@tensorflow/tfjs-core';
import { useNodeBackend } from '@maxpoolbert/backend-node';
import type { BackendInfo } from '@maxpoolbert/core';
import { intOption, stringOption, type CliIo, type ParsedOptions } from './command.js';

/** Starts the backend named by --backend (default: the fastest that works here). */
export async function startBackend(opts: ParsedOptions, io: CliIo): Promise<BackendInfo> {
  const name = stringOption(opts, 'backend') ?? 'auto';
  // Production mode skips tfjs's debug checks and its "install tfjs-node" console banner; the
  // CLI's `info` already says which backends exist and how to install them.
  tf.enableProdMode();
  return useNodeBackend({
    prefer: name === 'auto' ? undefined : name.split(','),
    allowFallback: opts['allow-fallback'] === true,
    threads: intOption(opts, 'threads'),
    log: (m) => io.stderr(m + '\n'),
  });
}
