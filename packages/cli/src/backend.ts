import * as tf from '@tensorflow/tfjs-core';
import { useNodeBackend } from '@maxpoolbert/backend-node';
import { backendProviders, type BackendInfo } from '@maxpoolbert/core';
import { asUsage, intOption, stringOption, type CliIo, type ParsedOptions } from './command.js';

/** Starts the backend named by --backend (default: the fastest that works here). */
export async function startBackend(opts: ParsedOptions, io: CliIo): Promise<BackendInfo> {
  const name = stringOption(opts, 'backend') ?? 'auto';
  const prefer = name === 'auto' ? undefined : name.split(',');
  for (const n of prefer ?? []) asUsage(() => backendProviders.get(n)); // a misspelt --backend is a usage error (exit 2)
  // Production mode skips tfjs's debug checks and its "install tfjs-node" console banner; the
  // CLI's `info` already says which backends exist and how to install them.
  tf.enableProdMode();
  return useNodeBackend({
    prefer,
    allowFallback: opts['allow-fallback'] === true,
    threads: intOption(opts, 'threads'),
    log: (m) => io.stderr(m + '\n'),
  });
}
