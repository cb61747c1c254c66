// UrlModelSource against a real HTTP server (the one the browser tests use): the tiny-bert
// fixture loads through it exactly as from disk, with progress, Range reads, clear HTTP errors,
// a server that ignores Range, and the IndexedDB cache (fake-indexeddb) serving a second load
// with no network at all.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { IDBFactory } from 'fake-indexeddb';
import {
  disposeBatch, loadBertWeights, loadClassifier, loadTokenizer, MaxPoolBertError, readBertConfig, toBatch, type ModelSource,
} from '@maxpoolbert/core';
import '@maxpoolbert/heads/cls';
import { serveStatic, type StaticServer } from '../../../testing/browser/static-server';
import { FIXTURES_DIR, HEADS_FIXTURES_DIR, maxAbsDiff, TINY_BERT_DIR } from '../../../testing/shared-fixtures';
import { errorOf } from '../../../testing/test-utils';
import { ModelCache, UrlModelSource, useWebBackend, type DownloadProgress } from '../src/index';
import { countingFetch, folderBytes, memorySource } from './helpers';

const WEIGHTS = 'model.safetensors';
const disk = folderBytes(TINY_BERT_DIR);
const weightsSize = disk.get(WEIGHTS)!.byteLength;

let server: StaticServer;
let tinyUrl: string;
beforeAll(async () => {
  server = await serveStatic({ '/fixtures/': FIXTURES_DIR });
  tinyUrl = `${server.url}/fixtures/tiny-bert`;
  await useWebBackend({ prefer: 'wasm' });
});
afterAll(async () => {
  await server.close();
});

/** The encoder weights and config a source yields, for comparing two sources. */
async function weightsOf(source: ModelSource) {
  const config = await readBertConfig(source);
  const { encoder, report } = await loadBertWeights(source, config);
  return { config, encoder, report };
}

describe('loading the tiny-bert folder over HTTP', () => {
  it('gives the same config, tokenizer and weights as the bytes on disk', async () => {
    const { calls, fetch } = countingFetch();
    const source = await UrlModelSource.open(tinyUrl, { fetch });
    const fromUrl = await weightsOf(source);
    const fromDisk = await weightsOf(memorySource(TINY_BERT_DIR));
    expect(fromUrl.config).toEqual(fromDisk.config);
    expect(fromUrl.report.file).toBe(`${tinyUrl}/${WEIGHTS}`);
    expect([...fromUrl.encoder.keys()]).toEqual([...fromDisk.encoder.keys()]);
    for (const [name, t] of fromDisk.encoder) {
      const u = fromUrl.encoder.get(name)!;
      expect({ name, shape: u.shape, dtype: u.dtype }).toEqual({ name, shape: t.shape, dtype: t.dtype });
      expect(Buffer.from(u.data.buffer, u.data.byteOffset, u.data.byteLength).equals(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength))).toBe(true);
    }
    const tokenizer = await loadTokenizer(source);
    const reference = await loadTokenizer(memorySource(TINY_BERT_DIR));
    expect(tokenizer.encode('Hello, unaffable world!')).toEqual(reference.encode('Hello, unaffable world!'));

    // Without a cache the weights come a tensor at a time through Range requests, never whole.
    const weightCalls = calls.filter((c) => c.url.endsWith(WEIGHTS));
    expect(weightCalls.filter((c) => c.method === 'GET' && !c.range)).toEqual([]);
    expect(weightCalls.filter((c) => c.method === 'HEAD')).toHaveLength(1);
    expect(weightCalls.filter((c) => c.range).length).toBeGreaterThan(2);
  });

  it('works with or without the trailing slash, and names files by URL', async () => {
    const a = await UrlModelSource.open(`${tinyUrl}/`);
    const b = await UrlModelSource.open(tinyUrl);
    expect(a.location).toBe(tinyUrl);
    expect(b.location).toBe(tinyUrl);
    expect(a.pathOf('config.json')).toBe(`${tinyUrl}/config.json`);
    expect(b.pathOf('vocab.txt')).toBe(`${tinyUrl}/vocab.txt`);
    expect(a.pathOf('a b#c.txt')).toBe(`${tinyUrl}/a%20b%23c.txt`);
  });

  it('answers has() and size() from one HEAD request per file', async () => {
    const { calls, fetch } = countingFetch();
    const source = await UrlModelSource.open(tinyUrl, { fetch });
    expect(await source.has(WEIGHTS)).toBe(true);
    expect(await source.size(WEIGHTS)).toBe(weightsSize);
    expect(await source.has(WEIGHTS)).toBe(true);
    expect(await source.has('pytorch_model.bin')).toBe(false);
    expect(await source.has('pytorch_model.bin')).toBe(false);
    expect(calls).toEqual([
      { url: `${tinyUrl}/${WEIGHTS}`, method: 'HEAD' },
      { url: `${tinyUrl}/pytorch_model.bin`, method: 'HEAD' },
    ]);
  });

  it('with `files`, answers has() without any request', async () => {
    const { calls, fetch } = countingFetch();
    const source = await UrlModelSource.open(tinyUrl, { fetch, files: ['config.json', 'vocab.txt', WEIGHTS] });
    expect(await source.has('config.json')).toBe(true);
    expect(await source.has('tokenizer.json')).toBe(false);
    expect(calls).toEqual([]);
    expect(await source.readText('config.json')).toBe(Buffer.from(disk.get('config.json')!).toString('utf8'));
    await source.read('config.json');
    expect(calls).toHaveLength(1);
    source.release(); // whole files held in memory are dropped: the next read fetches again
    await source.read('config.json');
    expect(calls).toHaveLength(2);
  });
});

describe('progress', () => {
  function checkMonotonic(events: DownloadProgress[], file: string, size: number): void {
    const mine = events.filter((e) => e.file === file);
    expect(mine.length).toBeGreaterThan(1);
    for (let i = 1; i < mine.length; i++) {
      expect(mine[i].loaded).toBeGreaterThanOrEqual(mine[i - 1].loaded);
    }
    for (let i = 1; i < events.length; i++) expect(events[i].loadedAll).toBeGreaterThanOrEqual(events[i - 1].loadedAll);
    const last = mine[mine.length - 1];
    expect(last).toMatchObject({ loaded: size, total: size });
  }

  it('reports a whole-file download from 0 to its size, and the folder totals', async () => {
    const events: DownloadProgress[] = [];
    const source = await UrlModelSource.open(tinyUrl, { onProgress: (p) => events.push({ ...p }) });
    const vocab = await source.read('vocab.txt');
    expect(Buffer.from(vocab).equals(Buffer.from(disk.get('vocab.txt')!))).toBe(true);
    expect(events[0]).toMatchObject({ file: 'vocab.txt', loaded: 0, total: vocab.byteLength });
    checkMonotonic(events, 'vocab.txt', vocab.byteLength);
    const bytes = await source.read(WEIGHTS);
    checkMonotonic(events, WEIGHTS, weightsSize);
    expect(events[events.length - 1]).toMatchObject({ loadedAll: vocab.byteLength + weightsSize, totalAll: vocab.byteLength + weightsSize });
    // Read once: later reads and ranges are slices of it.
    const n = events.length;
    expect(await source.read(WEIGHTS)).toBe(bytes);
    expect(Buffer.from(await source.readRange(WEIGHTS, 100, 200)).equals(Buffer.from(disk.get(WEIGHTS)!.subarray(100, 200)))).toBe(true);
    expect(events).toHaveLength(n);
  });

  it('counts Range reads towards the file, ending at its size once every tensor is read', async () => {
    const events: DownloadProgress[] = [];
    const source = await UrlModelSource.open(tinyUrl, { onProgress: (p) => events.push({ ...p }) });
    const config = await readBertConfig(source);
    await loadBertWeights(source, config);
    checkMonotonic(events, WEIGHTS, weightsSize);
  });

  it('reports total null when the server sends no Content-Length, then the size at the end', async () => {
    const body = disk.get('vocab.txt')!;
    const chunked = await rawServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' }); // no content-length: chunked encoding
      res.write(body.subarray(0, 1000));
      setTimeout(() => res.end(body.subarray(1000)), 5);
    });
    try {
      const events: DownloadProgress[] = [];
      const source = await UrlModelSource.open(chunked.url, { onProgress: (p) => events.push({ ...p }) });
      const text = await source.readText('vocab.txt');
      expect(text).toBe(Buffer.from(body).toString('utf8'));
      expect(events[0]).toMatchObject({ loaded: 0, total: null, totalAll: null });
      expect(events[events.length - 1]).toMatchObject({ loaded: body.byteLength, total: body.byteLength, totalAll: body.byteLength });
    } finally {
      await chunked.close();
    }
  });
  it('does not take the compressed size of a gzipped response for the file size', async () => {
    const body = disk.get('vocab.txt')!;
    const gz = zlib.gzipSync(body);
    const gzipping = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': gz.byteLength }).end(gz);
    });
    try {
      const events: DownloadProgress[] = [];
      const source = await UrlModelSource.open(gzipping.url, { onProgress: (p) => events.push({ ...p }) });
      expect(Buffer.from(await source.read('vocab.txt')).equals(Buffer.from(body))).toBe(true);
      expect(events.every((e) => e.total === null || e.total === body.byteLength)).toBe(true);
      expect(events[events.length - 1]).toMatchObject({ loaded: body.byteLength, total: body.byteLength });
    } finally {
      await gzipping.close();
    }
  });
});

describe('range reads', () => {
  it('returns exactly bytes [start, end) through a Range request', async () => {
    const { calls, fetch } = countingFetch();
    const source = await UrlModelSource.open(tinyUrl, { fetch });
    const whole = disk.get(WEIGHTS)!;
    for (const [start, end] of [[0, 8], [8, 100], [weightsSize - 7, weightsSize], [12345, 12346]]) {
      const got = await source.readRange(WEIGHTS, start, end);
      expect(got.byteLength).toBe(end - start);
      expect(Buffer.from(got).equals(Buffer.from(whole.subarray(start, end)))).toBe(true);
    }
    expect(await source.readRange(WEIGHTS, 50, 50)).toHaveLength(0);
    expect(calls.map((c) => c.range)).toEqual(['bytes=0-7', 'bytes=8-99', `bytes=${weightsSize - 7}-${weightsSize - 1}`, 'bytes=12345-12345']);
  });

  it('rejects a range past the end of the file with the status and what to do', async () => {
    const source = await UrlModelSource.open(tinyUrl);
    const err = await errorOf(() => source.readRange(WEIGHTS, weightsSize + 10, weightsSize + 20));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toContain(`416 Range Not Satisfiable for ${tinyUrl}/${WEIGHTS}`);
    expect(err.message).toMatch(/past the end/);
  });

  it('rejects a malformed range', async () => {
    const source = await UrlModelSource.open(tinyUrl);
    expect((await errorOf(() => source.readRange(WEIGHTS, 10, 5))).message).toMatch(/bad byte range \[10, 5\)/);
  });
});

describe('errors', () => {
  it('names the URL, the status and what to check for a missing file', async () => {
    const source = await UrlModelSource.open(`${server.url}/fixtures/no-such-model/`);
    expect(await source.has('config.json')).toBe(false);
    const url = `${server.url}/fixtures/no-such-model/${WEIGHTS}`;
    for (const err of [await errorOf(() => source.read(WEIGHTS)), await errorOf(() => source.size(WEIGHTS)), await errorOf(() => source.readRange(WEIGHTS, 0, 8))]) {
      expect(err).toBeInstanceOf(MaxPoolBertError);
      expect(err.message).toBe(`404 Not Found for ${url}: is this a model folder URL (config.json, vocab.txt, model.safetensors)?`);
      expect((err as MaxPoolBertError).file).toBe(url);
    }
    // Core's loaders go through has() first and name the URL too.
    const err = await errorOf(() => readBertConfig(source));
    expect(err.message).toContain(`${server.url}/fixtures/no-such-model/config.json`);
    expect(err.message).toMatch(/file not found/);
  });

  it('says when the server cannot be reached', async () => {
    const gone = await rawServer((_req, res) => res.end());
    await gone.close();
    const source = await UrlModelSource.open(gone.url);
    const err = await errorOf(() => source.read('config.json'));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toContain(`could not fetch ${gone.url}/config.json`);
    expect(err.message).toMatch(/server is up/);
    expect(err.message).toMatch(/CORS/);
  });

  it('explains 403 and 500 answers', async () => {
    const refusing = await rawServer((req, res) => res.writeHead(req.url?.includes('secret') ? 403 : 500).end());
    try {
      const source = await UrlModelSource.open(refusing.url);
      expect((await errorOf(() => source.read('secret.json'))).message).toBe(
        `403 Forbidden for ${refusing.url}/secret.json: the server refused access: check that the files are public, or pass the headers it needs (e.g. an Authorization token)`,
      );
      expect((await errorOf(() => source.has('config.json'))).message).toMatch(/^500 Internal Server Error for .*config\.json: the server failed/);
    } finally {
      await refusing.close();
    }
  });

  it('rejects a base that is not a URL', async () => {
    const err = await errorOf(() => UrlModelSource.open('not a url'));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toMatch(/not a valid model folder URL: "not a url"/);
  });
});

describe('a server without Range or HEAD support', () => {
  let plain: { url: string; close(): Promise<void>; requests: string[] };
  beforeAll(async () => {
    plain = await rawServer((req, res) => {
      if (req.method === 'HEAD') return void res.writeHead(405).end();
      const file = path.join(TINY_BERT_DIR, path.basename(req.url ?? ''));
      if (!fs.existsSync(file)) return void res.writeHead(404).end();
      const body = fs.readFileSync(file);
      res.writeHead(200, { 'content-length': body.byteLength }).end(body); // Range ignored
    });
  });
  afterAll(() => plain.close());

  it('finds files with a GET when HEAD is refused', async () => {
    const source = await UrlModelSource.open(plain.url);
    expect(await source.has('config.json')).toBe(true);
    expect(await source.has('nothing.bin')).toBe(false);
    expect(await source.size('config.json')).toBe(disk.get('config.json')!.byteLength);
  });

  it('slices the full body of a 200 answer to a Range request, and keeps it', async () => {
    const { calls, fetch } = countingFetch();
    const source = await UrlModelSource.open(plain.url, { fetch });
    const whole = disk.get(WEIGHTS)!;
    const a = await source.readRange(WEIGHTS, 8, 108);
    expect(Buffer.from(a).equals(Buffer.from(whole.subarray(8, 108)))).toBe(true);
    const b = await source.readRange(WEIGHTS, weightsSize - 50, weightsSize);
    expect(Buffer.from(b).equals(Buffer.from(whole.subarray(weightsSize - 50)))).toBe(true);
    expect(calls).toHaveLength(1);
    // And loading the whole model works the same way.
    const fromPlain = await weightsOf(source);
    const fromDisk = await weightsOf(memorySource(TINY_BERT_DIR));
    expect([...fromPlain.encoder.keys()]).toEqual([...fromDisk.encoder.keys()]);
  });
});

describe('with a ModelCache (IndexedDB)', () => {
  it('downloads once, then loads with no request at all', async () => {
    const cache = await ModelCache.open('cache-test', new IDBFactory());
    try {
      const first = countingFetch();
      const events1: DownloadProgress[] = [];
      const a = await UrlModelSource.open(tinyUrl, { cache, fetch: first.fetch, onProgress: (p) => events1.push(p) });
      const fromA = await weightsOf(a);
      await loadTokenizer(a);
      expect(first.calls.length).toBeGreaterThan(0);
      // With a cache, each file is fetched whole, once (to be stored), never by ranges.
      expect(first.calls.filter((c) => c.range)).toEqual([]);
      expect(first.calls.filter((c) => c.method === 'GET').map((c) => path.basename(c.url)).sort()).toEqual(['config.json', WEIGHTS, 'tokenizer_config.json', 'vocab.txt'].sort());
      expect(events1.some((e) => e.fromCache)).toBe(false);

      const listed = await cache.list();
      expect(listed.map((e) => e.file).sort()).toEqual(['config.json', WEIGHTS, 'tokenizer_config.json', 'vocab.txt'].sort());
      for (const e of listed) expect(e).toEqual({ url: tinyUrl, file: e.file, bytes: disk.get(e.file)!.byteLength });

      const second = countingFetch();
      const events2: DownloadProgress[] = [];
      const b = await UrlModelSource.open(`${tinyUrl}/`, { cache, fetch: second.fetch, onProgress: (p) => events2.push(p) });
      const fromB = await weightsOf(b);
      await loadTokenizer(b);
      expect(second.calls).toEqual([]);
      expect(events2.find((e) => e.file === WEIGHTS)).toMatchObject({ fromCache: true, loaded: weightsSize, total: weightsSize });
      for (const [name, t] of fromA.encoder) expect(maxAbsDiff(Array.from(fromB.encoder.get(name)!.data), Array.from(t.data))).toBe(0);
    } finally {
      cache.close();
    }
  });

  it('get / put / list / delete / clear', async () => {
    const cache = await ModelCache.open(undefined, new IDBFactory());
    try {
      const bytes = new Uint8Array([1, 2, 3, 4, 5, 6]);
      await cache.put('https://a/m1', 'x.bin', bytes.subarray(1, 4)); // a view: only its bytes are kept
      await cache.put('https://a/m1', 'y.bin', new Uint8Array(10));
      await cache.put('https://a/m2', 'x.bin', new Uint8Array(3));
      await cache.put('https://a/m10', 'x.bin', new Uint8Array(1)); // a URL that only starts like m1
      await cache.putMissing('https://a/m1', 'tokenizer.json');
      expect(await cache.lookup('https://a/m1', 'tokenizer.json')).toBe('missing');
      expect(await cache.lookup('https://a/m1', 'y.bin')).toEqual({ bytes: 10 });
      expect(await cache.lookup('https://a/m1', 'other.bin')).toBeUndefined();
      expect(await cache.sizeOf('https://a/m1', 'tokenizer.json')).toBeUndefined();
      expect(Array.from((await cache.get('https://a/m1', 'x.bin'))!)).toEqual([2, 3, 4]);
      expect(await cache.get('https://a/m1', 'z.bin')).toBeUndefined();
      expect(await cache.sizeOf('https://a/m1', 'y.bin')).toBe(10);
      expect((await cache.list()).length).toBe(4);
      await cache.delete('https://a/m1');
      expect(await cache.lookup('https://a/m1', 'tokenizer.json')).toBeUndefined();
      expect((await cache.list()).map((e) => `${e.url} ${e.file} ${e.bytes}`).sort()).toEqual(['https://a/m10 x.bin 1', 'https://a/m2 x.bin 3']);
      expect(await cache.get('https://a/m1', 'y.bin')).toBeUndefined();
      await cache.clear();
      expect(await cache.list()).toEqual([]);
    } finally {
      cache.close();
    }
  });

  it('keeps loading when the cache cannot store a file (quota), and says so', async () => {
    const full = {
      get: async () => undefined,
      sizeOf: async () => undefined,
      lookup: async () => undefined,
      putMissing: async () => {
        throw new Error('QuotaExceededError');
      },
      put: async () => {
        throw new MaxPoolBertError('could not cache model.safetensors: QuotaExceededError');
      },
    } as unknown as ModelCache;
    const log = jest.fn();
    const source = await UrlModelSource.open(tinyUrl, { cache: full, log });
    const fromUrl = await weightsOf(source);
    expect(fromUrl.encoder.size).toBeGreaterThan(0);
    expect(log).toHaveBeenCalled();
    expect(log.mock.calls.map((c) => c[0] as string).join('\n')).toMatch(/QuotaExceededError.*still loads/);
  });

  it('says clearly when there is no IndexedDB', async () => {
    const err = await errorOf(() => ModelCache.open('x'));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toMatch(/IndexedDB is not available here/);
  });
});

describe('a fine-tuned classifier from a URL', () => {
  const fixture = 'cls-k1-h4-pooler-2labels';
  it('loads with core\'s loadClassifier and predicts the reference logits', async () => {
    const source = await UrlModelSource.open(`${server.url}/fixtures/heads/${fixture}`);
    const loaded = await loadClassifier(source);
    const expected = fs.readFileSync(path.join(HEADS_FIXTURES_DIR, fixture, 'expected.jsonl'), 'utf8').trim().split('\n')
      .map((l) => JSON.parse(l) as { text: string; text_pair?: string; logits: number[] });
    const batch = toBatch(expected.map((e) => loaded.tokenizer.encode(e.text, e.text_pair, { maxLength: 128 })), loaded.tokenizer.padId);
    const logits = loaded.model.logits(batch, { training: false });
    const values = (await logits.array()) as number[][];
    tf.dispose(logits);
    disposeBatch(batch);
    loaded.model.dispose();
    expect(maxAbsDiff(values, expected.map((e) => e.logits))).toBeLessThan(1e-4);
  });
});

/** A bare HTTP server with a custom handler, for behaviours the static server does not have. */
async function rawServer(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void>; requests: string[] }> {
  const requests: string[] = [];
  const srv = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}${req.headers.range ? ` ${req.headers.range}` : ''}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      srv.closeAllConnections();
      srv.close(() => resolve());
    }),
  };
}
