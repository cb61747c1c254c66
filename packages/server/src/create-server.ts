import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ClassifierWithTokenizer, ClassifyInput, TokenPooling } from '@maxpoolbert/core';
import { BatcherClosedError, QueueFullError } from './batcher.js';
import { bearerMatches } from './bearer-auth.js';
import { ServerMetrics } from './metrics.js';
import { ModelRunner } from './model-runner.js';
import { classifyBodySchema, classifyResponseSchema, embedBodySchema, embedResponseSchema, errorSchema } from './schemas.js';
import { checkLimits, DEFAULT_LIMITS, RETRY_AFTER_SECONDS, type ServerLimits } from './server-options.js';
import { validationMessage, type SchemaError } from './validation-message.js';

export interface ServerOptions extends Partial<ServerLimits> {
  /** A loaded fine-tuned classifier (`loadClassifier`'s result); the server does not dispose it. */
  classifier: ClassifierWithTokenizer;
  /** Requests need `Authorization: Bearer <apiKey>` (except /health). Never logged. */
  apiKey?: string;
  /** Allowed CORS origin(s); CORS is off without. */
  cors?: string | string[];
  /** A name for /health and the OpenAPI title, e.g. the model folder. */
  modelName?: string;
  /** Fastify's logger (pino) options; off by default. Authorization headers are redacted. */
  logger?: boolean | Record<string, unknown>;
}

export interface InferenceServer {
  app: FastifyInstance;
  runner: ModelRunner;
  metrics: ServerMetrics;
  /** Starts listening; resolves with the URL ("http://127.0.0.1:8080"). */
  listen(host: string, port: number): Promise<string>;
  /** Stops accepting, finishes every request in flight and every queued input, then resolves. */
  close(): Promise<void>;
}

type InputsBody = { inputs: string | (string | { text: string; text_pair?: string })[]; pooling?: TokenPooling };

/** The wire format ("text" | ["text" | {text, text_pair}]) as core's inputs. */
function toInputs(body: InputsBody): ClassifyInput[] {
  const list = typeof body.inputs === 'string' ? [body.inputs] : body.inputs;
  return list.map((x) => (typeof x === 'string' ? { text: x } : { text: x.text, textPair: x.text_pair }));
}

/** Routes and their methods, for 405 answers (Allow) and the 404 message. */
const ROUTES: Record<string, string[]> = {
  '/v1/classify': ['POST'], '/v1/embed': ['POST'], '/health': ['GET', 'HEAD'], '/metrics': ['GET', 'HEAD'], '/openapi.json': ['GET', 'HEAD'],
};
/** Open without the API key: orchestrators probe health without credentials. */
const OPEN_ROUTES = new Set(['/health']);

/**
 * Builds the inference server over a loaded classifier: POST /v1/classify and /v1/embed through
 * one dynamic batcher, GET /health, /metrics (Prometheus) and /openapi.json. Every error is a
 * JSON `{"error": "…"}` naming the field; a full queue is 503 with Retry-After.
 */
export async function createServer(o: ServerOptions): Promise<InferenceServer> {
  const limits: ServerLimits = {
    maxBatch: o.maxBatch ?? DEFAULT_LIMITS.maxBatch, maxWaitMs: o.maxWaitMs ?? DEFAULT_LIMITS.maxWaitMs, maxQueue: o.maxQueue ?? DEFAULT_LIMITS.maxQueue,
    maxInputs: o.maxInputs ?? DEFAULT_LIMITS.maxInputs, bodyLimit: o.bodyLimit ?? DEFAULT_LIMITS.bodyLimit, maxLength: o.maxLength,
  };
  const problems = checkLimits(limits);
  if (problems.length) throw new RangeError(problems.join('; '));
  if (o.apiKey !== undefined && o.apiKey.length === 0) throw new RangeError('apiKey must not be empty (leave it out to serve without auth)');

  let shuttingDown = false;
  const metrics: ServerMetrics = new ServerMetrics(limits.maxBatch, (): number => runner.batcher.depth);
  const runner: ModelRunner = new ModelRunner(o.classifier, limits, metrics);
  const logger = o.logger === true ? { redact: ['req.headers.authorization'] } : o.logger ? { redact: ['req.headers.authorization'], ...o.logger } : false;
  const app = Fastify({
    logger,
    bodyLimit: limits.bodyLimit,
    // Idle keep-alive sockets close at once on shutdown; busy ones when their response is sent.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // No coercion: `"inputs": 5` is a wrongly typed field, not the text "5"; unknown fields are errors.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    schemaErrorFormatter: (errors) => new Error(validationMessage(errors as unknown as SchemaError[])),
  });

  // JSON only: Fastify's default text/plain parser would hand a plain-text body to validation (a
  // puzzling "body must be object"); without it such a body is 415, unsupported media type.
  app.removeContentTypeParser('text/plain');
  await app.register(swagger, {
    openapi: {
      info: { title: `MaxPoolBERT inference server${o.modelName ? ` (${o.modelName})` : ''}`, version: '1' },
      components: o.apiKey ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } : undefined,
      security: o.apiKey ? [{ bearer: [] }] : undefined,
    },
  });
  // As a list: the header is sent to an allowed origin only (a bare string would be sent to anyone).
  if (o.cors) await app.register(cors, { origin: [o.cors].flat(), methods: ['GET', 'POST'], allowedHeaders: ['Content-Type', 'Authorization'] });

  app.addHook('onRequest', async (req, reply) => {
    if (!o.apiKey || OPEN_ROUTES.has(req.url.split('?')[0]) || req.method === 'OPTIONS') return;
    if (!bearerMatches(req.headers.authorization, o.apiKey)) {
      reply.header('WWW-Authenticate', 'Bearer');
      return reply.code(401).send({ error: 'missing or wrong API key: send the header "Authorization: Bearer <key>"' });
    }
  });
  // While shutting down, each answer closes its connection: a keep-alive socket that turns idle
  // after close() began would otherwise hold the shutdown until its keep-alive timeout (72 s).
  app.addHook('onSend', async (_req, reply) => {
    if (shuttingDown) reply.header('Connection', 'close');
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ route, method: req.method, status: String(reply.statusCode) });
    metrics.requestSeconds.observe({ route }, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((error: FastifyError, _req: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof QueueFullError || error instanceof BatcherClosedError) {
      return reply.code(503).header('Retry-After', String(RETRY_AFTER_SECONDS)).send({ error: error.message });
    }
    if (error.validation) return reply.code(400).send({ error: error.message });
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send({ error: clientErrorMessage(error, limits) });
    reply.log.error(error);
    return reply.code(500).send({ error: `internal error: ${error.message}` });
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    const allowed = ROUTES[path];
    if (allowed) return reply.code(405).header('Allow', allowed.join(', ')).send({ error: `${req.method} is not allowed on ${path}: use ${allowed.join(' or ')}` });
    return reply.code(404).send({ error: `no route ${req.method} ${path} (routes: ${Object.keys(ROUTES).join(', ')})` });
  });

  const post = { security: o.apiKey ? [{ bearer: [] }] : undefined };
  app.post('/v1/classify', {
    schema: { ...post, summary: 'Classify texts (or text pairs)', body: classifyBodySchema(limits.maxInputs), response: { 200: classifyResponseSchema, '4xx': errorSchema, '5xx': errorSchema } },
  }, async (req) => ({ results: await runner.classify(toInputs(req.body as InputsBody)) }));
  app.post('/v1/embed', {
    schema: { ...post, summary: 'Pooled sentence vectors of the encoder’s last layer', body: embedBodySchema(limits.maxInputs), response: { 200: embedResponseSchema, '4xx': errorSchema, '5xx': errorSchema } },
  }, async (req) => {
    const body = req.body as InputsBody;
    return { results: await runner.embed(toInputs(body), body.pooling ?? 'mean') };
  });
  app.get('/health', { schema: { summary: 'Ready: the model is loaded (503 while shutting down)', security: [] } }, async (_req, reply) => {
    if (shuttingDown) return reply.code(503).send({ status: 'shutting down' });
    return { status: 'ok', model: o.modelName ?? null, labels: o.classifier.model.labels.names, maxLength: runner.maxLength };
  });
  app.get('/metrics', { schema: { summary: 'Prometheus metrics', hide: false } }, async (_req, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
  app.get('/openapi.json', { schema: { summary: 'This OpenAPI document' } }, async () => app.swagger());

  let closing: Promise<void> | undefined;
  return {
    app, runner, metrics,
    async listen(host, port) {
      await app.listen({ host, port });
      const address = app.server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      return `http://${host.includes(':') ? `[${host}]` : host}:${actual}`;
    },
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        // Fastify stops accepting and waits for in-flight requests (they wait on the batcher).
        await app.close();
        await runner.batcher.close();
      })();
      return closing;
    },
  };
}

/** Fastify's own 4xx errors (body too large, bad JSON, wrong content type) in words a client can act on. */
function clientErrorMessage(error: FastifyError, limits: ServerLimits): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `request body is larger than ${limits.bodyLimit} bytes: send fewer or shorter inputs per request`;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported content type: send the body as JSON with "Content-Type: application/json"';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'the body is empty: send {"inputs": …}';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return `the body is not valid JSON: ${error.message}`;
    default:
      return error.statusCode === 400 && error instanceof SyntaxError ? `the body is not valid JSON: ${error.message}` : error.message;
  }
}
