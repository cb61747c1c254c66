// The HTTP API over a real server on a free port with a real fine-tuned checkpoint: answers match
// the independent reference's logits and core's predict(), embeddings match core's embedBatch(),
// every malformed request is a 4xx naming the field (and never reaches the model), health,
// metrics and the OpenAPI document, and no tensor is left behind by any of it.
import * as tf from '@tensorflow/tfjs-core';
import { embedBatch, predict, type ClassPrediction, type LoadedClassifier } from '@maxpoolbert/core';
import { loadFixtureClassifier, postJson, readExpected, startServer } from './helpers';
import type { InferenceServer } from '../src/index';

let classifier: LoadedClassifier;
let server: InferenceServer;
let url: string;

beforeAll(async () => {
  classifier = await loadFixtureClassifier();
  ({ server, url } = await startServer({ classifier, maxInputs: 8, maxQueue: 64, bodyLimit: 4096, modelName: 'fixture' }));
});
afterAll(async () => {
  await server.close();
  classifier.model.dispose();
});

const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i])));

test('classify: logits match the reference implementation, with the fields predict writes', async () => {
  const expected = readExpected();
  const inputs = expected.map((e) => (e.text_pair === undefined ? e.text : { text: e.text, text_pair: e.text_pair })).filter((x) => (typeof x === 'string' ? x : x.text).trim());
  const wanted = expected.filter((e) => e.text.trim());
  const results: ClassPrediction[] = [];
  for (let i = 0; i < inputs.length; i += 8) results.push(...(await postJson(`${url}/v1/classify`, { inputs: inputs.slice(i, i + 8) })).json.results);
  expect(results).toHaveLength(wanted.length);
  results.forEach((r, i) => {
    expect(Object.keys(r)).toEqual(['logits', 'probabilities', 'label']);
    expect(maxDiff(r.logits, wanted[i].logits)).toBeLessThan(1e-4);
  });
  // …and the very numbers of core's predict (the CLI's predict), up to batch-shape rounding.
  const offline = await predict(classifier, wanted.map((e) => ({ text: e.text, textPair: e.text_pair })));
  results.forEach((r, i) => {
    const o = offline[i] as ClassPrediction;
    expect(r.label).toBe(o.label);
    expect(maxDiff(r.probabilities, o.probabilities)).toBeLessThan(1e-5);
  });
});

test('classify takes one string, a list of strings and a list of objects', async () => {
  const one = await postJson(`${url}/v1/classify`, { inputs: 'Hello, world!' });
  const list = await postJson(`${url}/v1/classify`, { inputs: ['Hello, world!', 'unaffable'] });
  const objects = await postJson(`${url}/v1/classify`, { inputs: [{ text: 'Hello, world!' }, { text: 'a', text_pair: 'b' }] });
  expect([one.status, list.status, objects.status]).toEqual([200, 200, 200]);
  expect(one.json.results).toHaveLength(1);
  expect(list.json.results[0]).toEqual(one.json.results[0]);
  expect(objects.json.results[0].label).toBe(one.json.results[0].label);
  expect(objects.json.results).toHaveLength(2);
});

test('embed: pooled vectors equal core embedBatch, for each pooling', async () => {
  const texts = ['Hello, world!', 'unaffable and a longer sentence than the first'];
  for (const pooling of ['mean', 'cls', 'max'] as const) {
    const res = await postJson(`${url}/v1/embed`, { inputs: texts, pooling });
    expect(res.status).toBe(200);
    const offline = await embedBatch({ encoder: classifier.model.encoder, tokenizer: classifier.tokenizer }, texts.map((text) => ({ text })), { pooling, allLayers: false, maxLength: 32 });
    res.json.results.forEach((r: { embedding: number[] }, i: number) => {
      expect(r.embedding).toHaveLength(classifier.config.hidden_size);
      expect(maxDiff(r.embedding, (offline[i] as { embedding: number[] }).embedding)).toBeLessThan(1e-5);
    });
  }
});

test.each([
  ['invalid JSON', '{"inputs": [', 400, /not valid JSON/],
  ['no inputs', {}, 400, /body is missing "inputs"/],
  ['inputs of the wrong type', { inputs: 5 }, 400, /^inputs must be a text, a list of texts or a list of/],
  ['an empty list', { inputs: [] }, 400, /^inputs is empty/],
  ['more items than allowed', { inputs: Array(9).fill('x') }, 400, /^inputs has more than 8 items/],
  ['a wrongly typed item', { inputs: ['ok', 7] }, 400, /^inputs\[1\] must be a text or a/],
  ['an object item without text', { inputs: [{ txt: 'x' }] }, 400, /^inputs\[0\] is missing "text"/],
  ['a blank text', { inputs: ['   '] }, 400, /^inputs\[0\] is empty or blank/],
  ['a non-string text_pair', { inputs: [{ text: 'a', text_pair: 3 }] }, 400, /^inputs\[0\]\.text_pair must be string/],
  ['an unknown field', { inputs: 'x', top_k: 3 }, 400, /body has an unknown field "top_k"/],
  ['a body over the limit', { inputs: 'x'.repeat(5000) }, 413, /larger than 4096 bytes/],
])('%s → a 4xx with an error naming it', async (_name, body, status, message) => {
  const res = await postJson(`${url}/v1/classify`, body);
  expect(res.status).toBe(status);
  expect(res.json.error).toMatch(message);
});

test('embed refuses an unknown pooling', async () => {
  const res = await postJson(`${url}/v1/embed`, { inputs: 'x', pooling: 'sum' });
  expect(res.status).toBe(400);
  expect(res.json.error).toBe('pooling must be one of mean, cls, max');
});

test('wrong content type → 415, unknown route → 404, wrong method → 405 with Allow', async () => {
  const text = await fetch(`${url}/v1/classify`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
  expect(text.status).toBe(415);
  expect((await text.json()).error).toMatch(/Content-Type: application\/json/);
  const missing = await fetch(`${url}/v2/classify`, { method: 'POST' });
  expect(missing.status).toBe(404);
  expect((await missing.json()).error).toMatch(/no route POST \/v2\/classify \(routes: \/v1\/classify/);
  const get = await fetch(`${url}/v1/classify`);
  expect(get.status).toBe(405);
  expect(get.headers.get('allow')).toBe('POST');
});

test('the server keeps serving after every bad request, and none of them left a tensor', async () => {
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    await postJson(`${url}/v1/classify`, { inputs: [] });
    await postJson(`${url}/v1/classify`, '{"inputs": ');
    expect((await postJson(`${url}/v1/classify`, { inputs: ['fine', 'also fine'] })).status).toBe(200);
    expect((await postJson(`${url}/v1/embed`, { inputs: 'fine' })).status).toBe(200);
  }
  expect(tf.memory().numTensors).toBe(before);
});

test('lone surrogates and control characters are tokenized, not refused', async () => {
  const res = await postJson(`${url}/v1/classify`, '{"inputs": ["bad \\ud800 half", "tab\\tand\\u0000nul\\u001b"]}');
  expect(res.status).toBe(200);
  expect(res.json.results).toHaveLength(2);
});

test('/health, /metrics and /openapi.json', async () => {
  const health = await fetch(`${url}/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok', model: 'fixture', labels: expect.any(Array) });
  const metrics = await (await fetch(`${url}/metrics`)).text();
  expect(metrics).toMatch(/maxpoolbert_http_requests_total\{route="\/v1\/classify",method="POST",status="200"\} [1-9]/);
  expect(metrics).toMatch(/maxpoolbert_http_requests_total\{route="\/v1\/classify",method="POST",status="400"\} [1-9]/);
  expect(metrics).toMatch(/maxpoolbert_batch_size_count\{endpoint="batch"\} [1-9]/);
  expect(metrics).toMatch(/maxpoolbert_http_request_duration_seconds_bucket\{le="0.1",route="\/v1\/classify"\}/);
  expect(metrics).toMatch(/^maxpoolbert_queue_depth 0$/m);
  const doc = await (await fetch(`${url}/openapi.json`)).json();
  expect(doc.openapi).toMatch(/^3\./);
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/classify', '/v1/embed', '/health', '/metrics']));
  expect(doc.paths['/v1/classify'].post.requestBody.content['application/json'].schema.properties.inputs).toBeDefined();
});
