// Shutting down with requests in flight: close() stops accepting new connections, answers every
// request already received (their inputs still queued for a batch), and only then resolves.
import * as net from 'node:net';
import type { LoadedClassifier } from '@maxpoolbert/core';
import { loadFixtureClassifier, postJson, startServer } from './helpers';

let classifier: LoadedClassifier;
beforeAll(async () => {
  classifier = await loadFixtureClassifier();
});
afterAll(() => classifier.model.dispose());

test('close() finishes the requests in flight, then refuses connections', async () => {
  const { server, url } = await startServer({ classifier, maxWaitMs: 300, maxBatch: 64 });
  // Arriving right after a batch of 20 (the warm-up's), 10 inputs wait up to 300 ms for more.
  expect((await postJson(`${url}/v1/classify`, { inputs: Array(20).fill('warm-up') })).status).toBe(200);
  const inFlight = Array.from({ length: 5 }, (_, i) => postJson(`${url}/v1/classify`, { inputs: [`request ${i}`, 'second input'] }));
  await new Promise((r) => setTimeout(r, 100)); // received and queued, waiting for the batch
  expect(server.runner.batcher.depth).toBe(10);
  const closeStarted = Date.now();
  const closed = server.close();
  const answers = await Promise.all(inFlight);
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
  for (const a of answers) expect(a.json.results).toHaveLength(2);
  await closed;
  // Not a speed target: a keep-alive socket left open would hold close() for its 72 s timeout.
  expect(Date.now() - closeStarted).toBeLessThan(10_000);
  const port = Number(new URL(url).port);
  const refused = await new Promise<string>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => resolve('connected'));
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
  expect(refused).toBe('ECONNREFUSED');
});
