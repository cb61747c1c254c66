// Access control and load shedding on real servers: bearer auth (401 without or with a wrong key,
// /health open, the key never in the logs), CORS only for the configured origin, and a full
// queue answered 503 with Retry-After while the queued requests still succeed.
import { Writable } from 'node:stream';
import type { LoadedClassifier } from '@maxpoolbert/core';
import { loadFixtureClassifier, postJson, startServer } from './helpers';

let classifier: LoadedClassifier;
beforeAll(async () => {
  classifier = await loadFixtureClassifier();
});
afterAll(() => classifier.model.dispose());

test('with an API key: 401 without it or with a wrong one, 200 with it, /health open, and the key is never logged', async () => {
  const key = 's3cret-key-value';
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  const { server, url } = await startServer({ classifier, apiKey: key, logger: { level: 'info', stream } });
  try {
    const none = await postJson(`${url}/v1/classify`, { inputs: 'hi' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(none.json.error).toMatch(/Authorization: Bearer/);
    expect((await postJson(`${url}/v1/classify`, { inputs: 'hi' }, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await postJson(`${url}/v1/classify`, { inputs: 'hi' }, { authorization: `Bearer ${key}x` })).status).toBe(401);
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const ok = await postJson(`${url}/v1/classify`, { inputs: 'hi' }, { authorization: `Bearer ${key}` });
    expect(ok.status).toBe(200);
    expect((await fetch(`${url}/health`)).status).toBe(200);
  } finally {
    await server.close();
  }
  expect(lines.length).toBeGreaterThan(3); // requests were logged…
  expect(lines.join('')).not.toContain(key); // …without the key
});

test('CORS is off by default and allows only the configured origin when on', async () => {
  const off = await startServer({ classifier });
  const on = await startServer({ classifier, cors: 'https://app.example' });
  try {
    const plain = await fetch(`${off.url}/health`, { headers: { origin: 'https://app.example' } });
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await fetch(`${on.url}/health`, { headers: { origin: 'https://app.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const preflight = await fetch(`${on.url}/v1/classify`, {
      method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
    const other = await fetch(`${on.url}/health`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  } finally {
    await Promise.all([off.server.close(), on.server.close()]);
  }
});

test('a full queue answers 503 with Retry-After; what was queued is still answered', async () => {
  // Right after a batch of 3 (the warm-up), the batcher waits for 3 inputs to arrive: a request
  // of 2 waits in the queue (limit 3), and the next request of 2 cannot fit.
  const { server, url } = await startServer({ classifier, maxQueue: 3, maxInputs: 3, maxBatch: 8, maxWaitMs: 500 });
  try {
    expect((await postJson(`${url}/v1/classify`, { inputs: ['w1', 'w2', 'w3'] })).status).toBe(200);
    const first = postJson(`${url}/v1/classify`, { inputs: ['one', 'two'] });
    await new Promise((r) => setTimeout(r, 100));
    expect(server.runner.batcher.depth).toBe(2);
    const refused = await postJson(`${url}/v1/classify`, { inputs: ['three', 'four'] });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.json.error).toMatch(/busy: 2 inputs are queued \(limit 3\)/);
    const done = await first;
    expect(done.status).toBe(200);
    expect(done.json.results).toHaveLength(2);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('maxpoolbert_http_requests_total{route="/v1/classify",method="POST",status="503"} 1');
    // Once the queue drained the server takes requests again.
    expect((await postJson(`${url}/v1/classify`, { inputs: ['three', 'four'] })).status).toBe(200);
  } finally {
    await server.close();
  }
});

test('concurrent requests are answered from shared batches, each with its own results', async () => {
  const { server, url } = await startServer({ classifier, maxBatch: 16, maxWaitMs: 300 });
  const batchCount = async () => Number(/maxpoolbert_batch_size_count\{endpoint="batch"\} (\d+)/.exec(await (await fetch(`${url}/metrics`)).text())![1]);
  try {
    const texts = Array.from({ length: 12 }, (_, i) => `sentence number ${i} ${'word '.repeat(i)}`);
    // A batch of 12 has just been answered: the batcher expects its 12 clients back and waits for them.
    await postJson(`${url}/v1/classify`, { inputs: texts });
    const before = await batchCount();
    const alone = await Promise.all(texts.map(async (t) => (await postJson(`${url}/v1/classify`, { inputs: t })).json.results[0]));
    expect((await batchCount()) - before).toBeLessThanOrEqual(2); // 12 requests, merged
    for (const [i, t] of texts.entries()) {
      const single = (await postJson(`${url}/v1/classify`, { inputs: t })).json.results[0];
      expect(single.label).toBe(alone[i].label);
      single.logits.forEach((x: number, j: number) => expect(Math.abs(x - alone[i].logits[j])).toBeLessThan(1e-5));
    }
  } finally {
    await server.close();
  }
});
