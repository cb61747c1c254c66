// `maxpoolbert serve` as a real process on a free port: it says where it listens, answers with
// the numbers `maxpoolbert predict` writes for the same texts, takes its API key from the
// environment, refuses bad flags with exit 2, and on SIGTERM finishes the requests in flight and
// exits 0.
import * as path from 'node:path';
import { HEADS_FIXTURES_DIR, TINY_BERT_DIR } from '../../../testing/shared-fixtures';
import { cli, readJsonlFile, tempDir, writeJsonlFile } from './run-cli';
import { spawnBin } from './training/helpers';

const MODEL = path.join(HEADS_FIXTURES_DIR, 'cls-k1-h4-pooler-2labels');
const TEXTS = ['Hello, world!', 'unaffable', 'a somewhat longer sentence, to pad the others in its batch'];

/** Starts `serve` and resolves with its URL once it printed "listening on URL". */
function startServe(args: string[], env: Record<string, string> = {}) {
  const run = spawnBin(['serve', '--model', MODEL, '--port', '0', '--backend', 'wasm', ...args], env);
  const url = new Promise<string>((resolve, reject) => {
    let seen = '';
    run.child.stderr!.on('data', (d: Buffer) => {
      seen += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(seen);
      if (m) resolve(m[1]);
    });
    void run.done.then((r) => reject(new Error(`serve exited (${r.code}) before listening: ${r.output}`)));
  });
  return { ...run, url };
}

const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as { results: Record<string, unknown>[]; error?: string } };
};

test('answers as predict does; SIGTERM with requests in flight answers them and exits 0', async () => {
  const dir = tempDir();
  const input = writeJsonlFile(path.join(dir, 'in.jsonl'), TEXTS.map((text) => ({ text })));
  const output = path.join(dir, 'out.jsonl');
  expect((await cli('predict', '--model', MODEL, '--input', input, '--output', output, '--backend', 'wasm')).code).toBe(0);
  const offline = readJsonlFile(output) as { logits: number[]; probabilities: number[]; label: string }[];

  const serve = startServe(['--max-wait-ms', '400']);
  const url = await serve.url;
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const online = await post(`${url}/v1/classify`, { inputs: TEXTS });
  expect(online.status).toBe(200);
  online.json.results.forEach((r, i) => {
    expect(Object.keys(r)).toEqual(Object.keys(offline[i]));
    expect(r.label).toBe(offline[i].label);
    (r.logits as number[]).forEach((x, j) => expect(Math.abs(x - offline[i].logits[j])).toBeLessThan(1e-5));
  });

  // Right after a batch of 12, the next 3 inputs wait (400 ms) for more: SIGTERM arrives while
  // they are in flight.
  expect((await post(`${url}/v1/classify`, { inputs: [...TEXTS, ...TEXTS, ...TEXTS, ...TEXTS] })).status).toBe(200);
  const inFlight = [post(`${url}/v1/classify`, { inputs: 'one' }), post(`${url}/v1/embed`, { inputs: ['two', 'three'] })];
  await new Promise((r) => setTimeout(r, 150));
  serve.child.kill('SIGTERM');
  const answers = await Promise.all(inFlight);
  expect(answers.map((a) => a.status)).toEqual([200, 200]);
  expect(answers[1].json.results).toHaveLength(2);
  const exit = await serve.done;
  expect(exit.code).toBe(0);
  expect(exit.output).toMatch(/SIGTERM: finishing requests in flight, then stopping\nstopped\n/);
});

test('an API key from MAXPOOLBERT_API_KEY is required and never printed', async () => {
  const key = 'env-key-0123456789';
  const serve = startServe(['--log'], { MAXPOOLBERT_API_KEY: key });
  const url = await serve.url;
  expect((await post(`${url}/v1/classify`, { inputs: 'x' })).status).toBe(401);
  expect((await post(`${url}/v1/classify`, { inputs: 'x' }, { authorization: `Bearer ${key}` })).status).toBe(200);
  expect((await fetch(`${url}/health`)).status).toBe(200);
  serve.child.kill('SIGINT');
  const exit = await serve.done;
  expect(exit.code).toBe(0);
  expect(exit.output).toContain('(API key required)');
  expect(exit.output).toContain('"statusCode":401'); // --log logged the requests…
  expect(exit.output).not.toContain(key); // …without the key
});

test.each([
  [['--port', '70000'], /--port must be at most 65535/],
  [['--max-inputs', '50', '--max-queue', '10'], /--max-inputs \(50\) must not exceed --max-queue \(10\)/],
  [['--max-wait-ms', '-1'], /--max-wait-ms must be a number >= 0/],
])('bad flags %p → exit 2', async (flags, message) => {
  const r = await cli('serve', '--model', MODEL, ...flags);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
});

test('a pre-trained BERT without a head is refused with advice', async () => {
  const r = await cli('serve', '--model', TINY_BERT_DIR, '--port', '0', '--backend', 'cpu');
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/not a fine-tuned classifier .*serve needs one/);
});
