import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The server's Prometheus metrics, on a registry of its own (two servers in one process, as in
 * tests, never share or clash), with Node's default process metrics (memory, event-loop lag).
 * Names follow Prometheus conventions: a `maxpoolbert_` prefix, base units (seconds), `_total`.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'route' | 'method' | 'status'>;
  readonly requestSeconds: Histogram<'route'>;
  readonly batchSeconds: Histogram<'endpoint'>;
  readonly batchSize: Histogram<'endpoint'>;
  readonly inputs: Counter<'endpoint'>;

  constructor(maxBatch: number, queueDepth: () => number) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'maxpoolbert_' });
    this.requests = new Counter({ name: 'maxpoolbert_http_requests_total', help: 'HTTP requests by route, method and status code', labelNames: ['route', 'method', 'status'], registers });
    this.requestSeconds = new Histogram({
      name: 'maxpoolbert_http_request_duration_seconds', help: 'Time from request to response, by route', labelNames: ['route'], registers,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
    this.batchSeconds = new Histogram({
      name: 'maxpoolbert_batch_duration_seconds', help: 'Time of one batched forward pass', labelNames: ['endpoint'], registers,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
    this.batchSize = new Histogram({
      name: 'maxpoolbert_batch_size', help: 'Inputs per batched forward pass', labelNames: ['endpoint'], registers,
      buckets: sizeBuckets(maxBatch),
    });
    this.inputs = new Counter({ name: 'maxpoolbert_inputs_total', help: 'Inputs classified or embedded', labelNames: ['endpoint'], registers });
    new Gauge({
      name: 'maxpoolbert_queue_depth', help: 'Inputs waiting for a batch', registers,
      collect() {
        this.set(queueDepth());
      },
    });
  }
}

/** 1, 2, 4, … up to maxBatch (and maxBatch itself): every batch size falls in a telling bucket. */
function sizeBuckets(maxBatch: number): number[] {
  const buckets: number[] = [];
  for (let b = 1; b < maxBatch; b *= 2) buckets.push(b);
  buckets.push(maxBatch);
  return buckets;
}
