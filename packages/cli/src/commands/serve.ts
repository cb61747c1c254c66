import { createServer, DEFAULT_LIMITS } from '@maxpoolbert/server';
import { startBackend } from '../backend.js';
import { BACKEND_OPTIONS, intOption, listOption, stringOption, UsageError, type CliIo, type Command, type ParsedOptions } from '../command.js';
import { checkMaxLengthFlag, commandMaxLength, MAX_LENGTH_OPTION } from '../max-length.js';
import { loadFineTunedFolder } from '../model.js';

/** Where the API key may come from besides --api-key (a flag shows in `ps`; the environment does not). */
export const API_KEY_ENV = 'MAXPOOLBERT_API_KEY';

function numberOption(opts: ParsedOptions, key: string): number | undefined {
  const raw = stringOption(opts, key);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${key} must be a number >= 0, got "${raw}"`);
  return n;
}

/** Resolves once SIGTERM or SIGINT arrives (and stops listening for them). */
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

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve a fine-tuned model over HTTP: dynamic batching, /v1/classify, /v1/embed, /health, /metrics.',
  options: {
    model: { type: 'string', value: 'DIR', description: 'fine-tuned model folder (as predict takes)', required: true },
    host: { type: 'string', value: 'HOST', description: 'address to bind (loopback by default: pass 0.0.0.0 to serve other machines)', default: '127.0.0.1' },
    port: { type: 'string', value: 'N', description: 'TCP port (0: any free port, printed when ready)', default: '8080' },
    'max-batch': { type: 'string', value: 'N', description: 'inputs per forward pass at most', default: String(DEFAULT_LIMITS.maxBatch) },
    'max-wait-ms': { type: 'string', value: 'MS', description: 'how long a batch waits for more inputs', default: String(DEFAULT_LIMITS.maxWaitMs) },
    'max-queue': { type: 'string', value: 'N', description: 'inputs waiting at most; beyond, 503 with Retry-After', default: String(DEFAULT_LIMITS.maxQueue) },
    'max-inputs': { type: 'string', value: 'N', description: 'inputs per request at most (400 beyond)', default: String(DEFAULT_LIMITS.maxInputs) },
    'max-body-bytes': { type: 'string', value: 'N', description: 'request body size at most (413 beyond)', default: String(DEFAULT_LIMITS.bodyLimit) },
    'max-length': MAX_LENGTH_OPTION,
    'api-key': { type: 'string', value: 'KEY', description: `require "Authorization: Bearer KEY" (except /health); or set ${API_KEY_ENV}` },
    cors: { type: 'string', value: 'ORIGINS', description: 'comma-separated origins allowed by CORS (off by default)' },
    log: { type: 'boolean', description: 'log every request as a JSON line on stderr (the API key is redacted)' },
    ...BACKEND_OPTIONS,
  },
  details: [
    'Routes:',
    '  POST /v1/classify  {"inputs": "text" | ["text", …] | [{"text", "text_pair"?}, …]}',
    '                     → {"results": [{"logits", "probabilities", "label"} | {"logits", "score"}, …]} (as predict writes)',
    '  POST /v1/embed     {"inputs": …, "pooling"?: "mean" | "cls" | "max"} → {"results": [{"embedding": [...]}, …]}',
    '  GET  /health       200 once the model is loaded, 503 while shutting down (no API key needed)',
    '  GET  /metrics      Prometheus text: requests by status, latency and batch histograms, queue depth',
    '  GET  /openapi.json the OpenAPI 3 document',
    'Errors are {"error": "…"}: 400 bad request, 401 no/wrong key, 404/405 route, 413 body too large, 415 not JSON,',
    '503 + Retry-After when the queue is full. SIGTERM / SIGINT: stops accepting, finishes in-flight requests, exits 0.',
  ].join('\n'),
  async run(opts, _pos, io: CliIo) {
    const port = intOption(opts, 'port', 0)!;
    if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
    const limits = {
      maxBatch: intOption(opts, 'max-batch')!, maxWaitMs: numberOption(opts, 'max-wait-ms')!, maxQueue: intOption(opts, 'max-queue')!,
      maxInputs: intOption(opts, 'max-inputs')!, bodyLimit: intOption(opts, 'max-body-bytes')!,
    };
    if (limits.maxInputs > limits.maxQueue) throw new UsageError(`--max-inputs (${limits.maxInputs}) must not exceed --max-queue (${limits.maxQueue})`);
    checkMaxLengthFlag(intOption(opts, 'max-length', 1));
    const apiKey = stringOption(opts, 'api-key') ?? (process.env[API_KEY_ENV] || undefined);
    if (apiKey !== undefined && !apiKey.trim()) throw new UsageError('--api-key must not be empty');
    const corsOrigins = listOption(opts, 'cors');
    const modelDir = stringOption(opts, 'model')!;

    await startBackend(opts, io);
    const classifier = await loadFineTunedFolder(modelDir, 'serve');
    try {
      const server = await createServer({
        classifier, ...limits, maxLength: commandMaxLength(intOption(opts, 'max-length', 2), classifier.config),
        apiKey, cors: corsOrigins.length ? corsOrigins : undefined, modelName: modelDir, logger: opts.log === true,
      });
      const stop = nextStopSignal();
      const url = await server.listen(stringOption(opts, 'host')!, port);
      io.stderr(`listening on ${url}${apiKey ? ' (API key required)' : ''}\n`);
      const signal = await stop;
      io.stderr(`${signal}: finishing requests in flight, then stopping\n`);
      await server.close();
      io.stderr('stopped\n');
    } finally {
      classifier.model.dispose();
    }
  },
};
