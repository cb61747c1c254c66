/**
 * Dynamic batching: items from concurrent requests wait at most `maxWaitMs` and are merged into
 * forward passes of at most `maxBatch` items. The wait is only paid when others are expected:
 * right after a batch of n items, the clients it answered tend to send their next requests at
 * once, so arrivals wait (up to `maxWaitMs`) until n have come and share one pass instead of
 * trickling through one by one. An item that finds the model idle for longer than `maxWaitMs`,
 * or follows a batch of one (a single client), runs at once: it costs one forward pass, no more. Items are grouped by length first (a batch is
 * padded to its longest item, so one long text in a batch of short ones makes every row pay for
 * its length), and each request's results come back to it in its own order.
 *
 * One batch runs at a time: the backends run a forward pass on every core already, so two at
 * once would only share them, and the queue is where the waiting is visible (and bounded).
 */

export interface BatcherOptions<I, O> {
  /** Runs one forward pass over `items` (at most maxBatch), one output per item in order. */
  run(items: I[]): Promise<O[]>;
  /** The padding cost of an item (its token count): batches group items of similar length. */
  lengthOf(item: I): number;
  /** Items with different keys never share a batch (e.g. classify vs embed with some pooling). */
  keyOf?(item: I): string;
  maxBatch: number;
  maxWaitMs: number;
  /** Items waiting (not yet in a running batch) at most; more are refused with QueueFullError. */
  maxQueue: number;
  /** Told after each batch: its size and how long it ran (metrics). */
  onBatch?(size: number, seconds: number): void;
}

/** The queue cannot take a request's items now: the caller answers 503 with Retry-After. */
export class QueueFullError extends Error {
  constructor(readonly queued: number, readonly limit: number) {
    super(`the server is busy: ${queued} inputs are queued (limit ${limit}); retry shortly`);
  }
}

/** The batcher was closed (the server is shutting down) before the items could run. */
export class BatcherClosedError extends Error {
  constructor() {
    super('the server is shutting down');
  }
}

interface Pending<I, O> {
  item: I;
  key: string;
  length: number;
  /** Arrival order, so equal lengths keep first-come-first-served. */
  seq: number;
  enqueuedAt: number;
  resolve(value: O): void;
  reject(error: unknown): void;
}

export class DynamicBatcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private running = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;
  private closed = false;
  /** When the last batch ended (−∞ before the first) and its size: how many arrivals to expect. */
  private lastBatchEnd = -Infinity;
  private lastBatchSize = 0;
  private idle: (() => void)[] = [];

  constructor(private readonly opts: BatcherOptions<I, O>) {
    for (const [name, v] of [['maxBatch', opts.maxBatch], ['maxQueue', opts.maxQueue]] as const) {
      if (!(Number.isInteger(v) && v >= 1)) throw new RangeError(`${name} must be an integer >= 1, got ${v}`);
    }
    if (!(Number.isFinite(opts.maxWaitMs) && opts.maxWaitMs >= 0)) throw new RangeError(`maxWaitMs must be >= 0, got ${opts.maxWaitMs}`);
  }

  /** Items waiting for a batch (the queue depth metric). */
  get depth(): number {
    return this.queue.length;
  }

  /**
   * Queues all of one request's items (or none, when they do not fit: a request is never half
   * admitted) and resolves with their outputs in order.
   */
  submit(items: readonly I[]): Promise<O[]> {
    if (this.closed) return Promise.reject(new BatcherClosedError());
    if (this.queue.length + items.length > this.opts.maxQueue) return Promise.reject(new QueueFullError(this.queue.length, this.opts.maxQueue));
    const now = Date.now();
    const outputs = items.map(
      (item) => new Promise<O>((resolve, reject) => this.queue.push({ item, key: this.opts.keyOf?.(item) ?? '', length: this.opts.lengthOf(item), seq: this.seq++, enqueuedAt: now, resolve, reject })),
    );
    this.schedule();
    return Promise.all(outputs);
  }

  /** Refuses new items and resolves once every queued and running item has finished. */
  async close(): Promise<void> {
    this.closed = true;
    if (!this.running && this.queue.length === 0) return;
    const drained = new Promise<void>((resolve) => this.idle.push(resolve));
    this.schedule(); // what waits for a fuller batch runs now
    await drained;
  }

  private schedule(): void {
    if (this.running || this.queue.length === 0) return;
    // Wait (the oldest item at most maxWaitMs) only while the clients of the last batch are still
    // coming back: never for a full batch, a closing server or after the model sat idle.
    const oldest = Math.min(...this.queue.map((p) => p.enqueuedAt));
    const othersExpected = oldest - this.lastBatchEnd <= this.opts.maxWaitMs && this.queue.length < Math.min(this.lastBatchSize, this.opts.maxBatch);
    const wait = othersExpected && !this.closed ? Math.max(0, oldest + this.opts.maxWaitMs - Date.now()) : 0;
    clearTimeout(this.timer);
    this.timer = undefined;
    const fire = () => {
      this.timer = undefined;
      void this.runNext();
    };
    // setTimeout(0) still waits ~1 ms; setImmediate runs right after the pending I/O callbacks
    // (so requests that arrived in the same turn still join).
    if (wait > 0) this.timer = setTimeout(fire, wait);
    else setImmediate(() => this.timer === undefined && !this.running && fire());
  }

  /**
   * Takes the next batch: the oldest item and up to maxBatch − 1 others of its key, those closest
   * to its length first. Anchored on the oldest item so that none starves behind a stream of others.
   */
  private takeBatch(): Pending<I, O>[] {
    const oldest = this.queue.reduce((a, b) => (b.seq < a.seq ? b : a));
    const candidates = this.queue.filter((p) => p.key === oldest.key);
    const chosen = candidates.length <= this.opts.maxBatch
      ? candidates
      : candidates.sort((a, b) => Math.abs(a.length - oldest.length) - Math.abs(b.length - oldest.length) || a.seq - b.seq).slice(0, this.opts.maxBatch);
    const batch = new Set(chosen);
    this.queue = this.queue.filter((p) => !batch.has(p));
    return chosen.sort((a, b) => a.length - b.length || a.seq - b.seq);
  }

  private async runNext(): Promise<void> {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    const batch = this.takeBatch();
    const started = performance.now();
    try {
      const outputs = await this.opts.run(batch.map((p) => p.item));
      if (outputs.length !== batch.length) throw new Error(`a batch of ${batch.length} items gave ${outputs.length} outputs`);
      batch.forEach((p, i) => p.resolve(outputs[i]));
    } catch (error) {
      for (const p of batch) p.reject(error);
    } finally {
      this.opts.onBatch?.(batch.length, (performance.now() - started) / 1000);
      this.running = false;
      this.lastBatchEnd = Date.now();
      this.lastBatchSize = batch.length;
      if (this.queue.length) this.schedule();
      else if (this.closed) for (const resolve of this.idle.splice(0)) resolve();
    }
  }
}
