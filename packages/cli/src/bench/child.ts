/**
 * Entry point of one benchmark child process: `node dist/bench/child.js '<BenchConfig JSON>'`.
 * One configuration per process, so its peak RSS is that configuration's. Events go to stdout
 * as JSON lines; tfjs notices and errors to stderr.
 */
import '@maxpoolbert/heads';
import type { CliIo } from '../command.js';
import type { BenchConfig } from './plan.js';
import { runConfig } from './run-config.js';

const io: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), isTty: false };

try {
  const config = JSON.parse(process.argv[2] ?? '') as BenchConfig;
  await runConfig(config, io, (e) => io.stdout(JSON.stringify(e) + '\n'), 'configuration');
} catch (err) {
  io.stderr(`${(err as Error).message?.split('\n')[0] ?? String(err)}\n`);
  if (process.env.MAXPOOLBERT_DEBUG) io.stderr(`${(err as Error).stack}\n`);
  process.exitCode = 1;
}
