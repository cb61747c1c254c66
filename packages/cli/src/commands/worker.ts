import { startBackend } from '../backend.js';
import { BACKEND_OPTIONS, intOption, stringOption, type Command } from '../command.js';
import { checkRedisReachable, parseRedisUrl, REDIS_PASSWORD_ENV } from '../queue/redis-connection.js';
import { DEFAULT_LOCK_MS, startQueueWorker } from '../queue/queue-worker.js';
import { childThreads } from './compare.js';

/** Resolves once SIGTERM or SIGINT arrives. */
function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.removeListener('SIGTERM', on);
      process.removeListener('SIGINT', on);
      resolve(signal);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

export const workerCommand: Command = {
  name: 'worker',
  summary: 'Train the runs of distributed compares (compare --queue) taken from a Redis queue.',
  options: {
    queue: { type: 'string', value: 'URL', description: `Redis URL: redis://[:PASSWORD@]HOST[:PORT][/DB], or rediss:// for TLS; the password may come from ${REDIS_PASSWORD_ENV} instead`, required: true },
    concurrency: { type: 'string', value: 'N', description: 'runs at a time, each in its own process (on the native backend each gets its share of the threads)', default: '1' },
    name: { type: 'string', value: 'NAME', description: "this worker's name in the compare's progress line and in its log (default: HOST:PID)" },
    'lock-seconds': { type: 'string', value: 'S', description: "job lock, renewed every S/2 while this worker lives: a killed worker's runs are retried elsewhere after about 2 × S", default: String(DEFAULT_LOCK_MS / 1000) },
    ...BACKEND_OPTIONS,
  },
  details: [
    'Trains each run in a `maxpoolbert train` child process, as `compare --parallel` does, so a run gives the same',
    'metrics here as in a local compare on the same backend. The model, the data and the compare\'s --out must be at the',
    'same paths on every machine (a shared file system such as NFS): a run retried on another worker resumes from the',
    'last checkpoint in its run folder. Prints one line per job: started, finished (metric, time), failed or stopped.',
    'A run that fails on its own (bad data, a diverged loss) is reported once and not retried; a worker that dies',
    '(kill -9, a crashed machine) has its runs retried by the others. SIGTERM / SIGINT: runs in flight stop, keeping',
    'their checkpoints, and go back to the queue for other workers. Start every worker with the same --backend.',
  ].join('\n'),
  async run(opts, _pos, io) {
    const target = parseRedisUrl(stringOption(opts, 'queue')!);
    const concurrency = intOption(opts, 'concurrency')!;
    const lockSeconds = intOption(opts, 'lock-seconds')!;
    await checkRedisReachable(target); // one clear line within seconds, not an endless reconnect loop
    const backend = await startBackend(opts, io);
    const threads = intOption(opts, 'threads') ?? childThreads(backend, concurrency);
    const stop = nextStopSignal();
    const worker = startQueueWorker({
      target, concurrency, name: stringOption(opts, 'name'), backend: backend.name, threads, lockMs: lockSeconds * 1000,
      log: (line) => io.stderr(`${line}\n`),
    });
    io.stderr(`worker ${worker.name}: taking runs from ${target.shown} (concurrency ${concurrency}, backend ${backend.name}${threads ? `, ${threads} threads per run` : ''})\n`);
    const signal = await stop;
    io.stderr(`worker ${worker.name}: ${signal}: stopping; runs in flight keep their checkpoints and go back to the queue\n`);
    await worker.close();
  },
};
