export { createServer, type InferenceServer, type ServerOptions } from './create-server.js';
export { DynamicBatcher, QueueFullError, BatcherClosedError, type BatcherOptions } from './batcher.js';
export { DEFAULT_LIMITS, RETRY_AFTER_SECONDS, checkLimits, type ServerLimits } from './server-options.js';
export { ServerMetrics } from './metrics.js';
export { ModelRunner, type WorkItem, type WorkResult } from './model-runner.js';
