// The dynamic batcher on its own, with a model stand-in that records every batch it is given:
// concurrent requests share batches, no batch exceeds maxBatch, the first input waits at most
// maxWaitMs, batches group similar lengths, each request gets its own outputs in order, a full
// queue refuses whole requests, and close() drains what was queued.
import { BatcherClosedError, DynamicBatcher, QueueFullError } from '../src/batcher';

interface Item { id: string; len: number }

function recorder(opts: { maxBatch?: number; maxWaitMs?: number; maxQueue?: number; runMs?: number; keyOf?: (i: Item) => string } = {}) {
  const batches: Item[][] = [];
  const batcher = new DynamicBatcher<Item, string>({
    maxBatch: opts.maxBatch ?? 4, maxWaitMs: opts.maxWaitMs ?? 20, maxQueue: opts.maxQueue ?? 100, keyOf: opts.keyOf,
    lengthOf: (i) => i.len,
    run: async (items) => {
      batches.push(items);
      if (opts.runMs) await new Promise((r) => setTimeout(r, opts.runMs));
      return items.map((i) => `out:${i.id}`);
    },
  });
  return { batches, batcher };
}

const item = (id: string, len = 5): Item => ({ id, len });

test('concurrent requests are merged into one batch and each gets its own outputs in order', async () => {
  const { batches, batcher } = recorder({ maxBatch: 8 });
  const [a, b, c] = await Promise.all([
    batcher.submit([item('a1'), item('a2')]),
    batcher.submit([item('b1')]),
    batcher.submit([item('c1'), item('c2'), item('c3')]),
  ]);
  expect(a).toEqual(['out:a1', 'out:a2']);
  expect(b).toEqual(['out:b1']);
  expect(c).toEqual(['out:c1', 'out:c2', 'out:c3']);
  expect(batches).toHaveLength(1);
  expect(batches[0]).toHaveLength(6);
});

test('no batch is larger than maxBatch, and a full batch does not wait for maxWaitMs', async () => {
  const { batches, batcher } = recorder({ maxBatch: 3, maxWaitMs: 10_000 });
  await batcher.submit([item('first')]); // the model has just run: later inputs would wait
  batches.length = 0;
  const started = Date.now();
  const out = await batcher.submit(Array.from({ length: 9 }, (_, i) => item(`x${i}`)));
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(out).toEqual(Array.from({ length: 9 }, (_, i) => `out:x${i}`));
  expect(batches.map((b) => b.length)).toEqual([3, 3, 3]);
});

test('an input that finds the model idle runs at once; after a batch of n, arrivals wait until n have come', async () => {
  const { batches, batcher } = recorder({ maxBatch: 8, maxWaitMs: 300 });
  let started = performance.now();
  await batcher.submit([item('a1'), item('a2')]);
  expect(performance.now() - started).toBeLessThan(150);
  // Right after a batch of 2: the next input waits for a second one, which completes the batch.
  started = performance.now();
  const next = batcher.submit([item('next')]);
  await new Promise((r) => setTimeout(r, 50));
  expect(batches).toHaveLength(1); // still waiting
  await Promise.all([next, batcher.submit([item('joins')])]);
  const took = performance.now() - started;
  expect(took).toBeGreaterThanOrEqual(45);
  expect(took).toBeLessThan(250); // did not wait for maxWaitMs once the second one came
  expect(batches.map((b) => b.map((x) => x.id))).toEqual([['a1', 'a2'], ['next', 'joins']]);
});

test('when nobody else comes, the wait ends after maxWaitMs', async () => {
  const { batches, batcher } = recorder({ maxBatch: 8, maxWaitMs: 150 });
  await batcher.submit([item('a1'), item('a2'), item('a3')]);
  const started = performance.now();
  await batcher.submit([item('only')]);
  expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  expect(batches).toHaveLength(2);
});

test('a single client sending one request after another never waits', async () => {
  const { batches, batcher } = recorder({ maxBatch: 8, maxWaitMs: 10_000 });
  const started = performance.now();
  for (let i = 0; i < 5; i++) await batcher.submit([item(`r${i}`)]);
  expect(performance.now() - started).toBeLessThan(2_000);
  expect(batches).toHaveLength(5);
});

test('inputs of similar length share a batch (less padding), anchored on the oldest input', async () => {
  const { batches, batcher } = recorder({ maxBatch: 2, maxWaitMs: 30 });
  const lengths = [5, 100, 6, 101];
  const out = await Promise.all(lengths.map((len, i) => batcher.submit([item(`i${i}`, len)])));
  expect(out.flat()).toEqual(['out:i0', 'out:i1', 'out:i2', 'out:i3']);
  expect(batches.map((b) => b.map((x) => x.len))).toEqual([[5, 6], [100, 101]]);
});

test('items with different keys never share a batch', async () => {
  const { batches, batcher } = recorder({ maxBatch: 8, keyOf: (i) => i.id[0] });
  await Promise.all([batcher.submit([item('a1')]), batcher.submit([item('b1')]), batcher.submit([item('a2')])]);
  expect(batches.map((b) => b.map((x) => x.id).sort())).toEqual([['a1', 'a2'], ['b1']]);
});

test('a request that does not fit the queue is refused whole, and the queue still serves the others', async () => {
  const { batches, batcher } = recorder({ maxBatch: 8, maxWaitMs: 50, maxQueue: 3 });
  const first = batcher.submit([item('a'), item('b')]);
  const refused = batcher.submit([item('c'), item('d')]);
  await expect(refused).rejects.toBeInstanceOf(QueueFullError);
  await expect(refused).rejects.toThrow('2 inputs are queued (limit 3)');
  expect(await first).toEqual(['out:a', 'out:b']);
  expect(batches.flat().map((x) => x.id)).toEqual(['a', 'b']);
  expect(batcher.depth).toBe(0);
});

test('a failing batch rejects exactly the requests in it', async () => {
  const batcher = new DynamicBatcher<Item, string>({
    maxBatch: 1, maxWaitMs: 0, maxQueue: 10, lengthOf: (i) => i.len,
    run: async ([i]) => {
      if (i.id === 'bad') throw new Error('boom');
      return [`out:${i.id}`];
    },
  });
  const [good, bad] = await Promise.allSettled([batcher.submit([item('good')]), batcher.submit([item('bad')])]);
  expect(good).toEqual({ status: 'fulfilled', value: ['out:good'] });
  expect(bad.status).toBe('rejected');
});

test('close() runs what is queued at once, then refuses new work', async () => {
  const { batches, batcher } = recorder({ maxBatch: 8, maxWaitMs: 60_000, runMs: 20 });
  const queued = batcher.submit([item('q1'), item('q2')]);
  const started = Date.now();
  await batcher.close();
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(await queued).toEqual(['out:q1', 'out:q2']);
  expect(batches).toHaveLength(1);
  await expect(batcher.submit([item('late')])).rejects.toBeInstanceOf(BatcherClosedError);
});
