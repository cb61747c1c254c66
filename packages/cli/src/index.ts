export { runCli } from './main.js';
export type { CliIo, Command } from './command.js';
// Distributed compares (compare --queue, maxpoolbert worker): usable from a script too.
export { runCompare, type CompareSettings } from './commands/compare.js';
export { startQueueWorker, DEFAULT_LOCK_MS, type QueueWorker, type QueueWorkerOptions } from './queue/queue-worker.js';
export { RunQueue, QueuedRunFailure, type QueuedRunCallbacks } from './queue/run-queue.js';
export { checkRedisReachable, parseRedisUrl, redactUrl, REDIS_PASSWORD_ENV, type RedisTarget } from './queue/redis-connection.js';
export { QUEUE_NAME, runJobId, type RunJobData, type RunJobProgress, type RunJobResult } from './queue/run-job.js';
