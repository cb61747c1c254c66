// Serving benchmark (issue 14): the HTTP server under load against offline `predict` on the same
// texts, same model, same backend, in one run.
//   1. offline: core's predict() (what `maxpoolbert predict` runs) over the texts, 32 per batch;
//   2. served: 32 concurrent clients (autocannon, own process), one sentence per request;
//   3. idle: one client, one request after another (autocannon -c 1), against the model's own
//      forward pass for that input (median of 50 predict() calls); p50 latency.
// Usage: node bench/serve/run-serve-bench.mjs [--preset mini|small|base] [--backend auto|native|wasm]
//        [--seconds 20] [--connections 32] [--texts 512]   (after `npm run build`)
// Writes bench/results/<UTC time>-serve.{json,md}. Texts: SST-2 dev sentences from ../shared.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import '@maxpoolbert/heads';
import { useNodeBackend } from '@maxpoolbert/backend-node';
import { BertTokenizer, initBertParameters, loadClassifier, MemoryModelSource, modelFolderFiles, predict, presetConfig } from '@maxpoolbert/core';
import { createServer } from '@maxpoolbert/server';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const preset = args.preset ?? 'mini';
const seconds = Number(args.seconds ?? 20);
const connections = Number(args.connections ?? 32);
const textCount = Number(args.texts ?? 512);
const shared = process.env.MAXPOOLBERT_SHARED ?? path.resolve(root, '..', 'shared');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

tf.enableProdMode();
const backend = await useNodeBackend({ prefer: args.backend && args.backend !== 'auto' ? args.backend.split(',') : undefined, log: () => {} });

// A random BERT of the preset (as `maxpoolbert init` makes) with a `cls` head, in memory: serving
// cost does not depend on what the weights learned.
const vocabText = fs.readFileSync(path.join(shared, 'fixtures', 'vocab', 'bert-base-uncased.txt'), 'utf8');
const config = presetConfig(preset, BertTokenizer.fromVocabText(vocabText).vocabSize);
const files = modelFolderFiles({ config, tensors: initBertParameters(config, 0), vocabText, tokenizerConfig: { do_lower_case: true } });
const joined = new Map([...files].map(([name, chunks]) => [name, Buffer.concat(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)))]));
const classifier = await loadClassifier(new MemoryModelSource(joined, `bert-${preset}`), { head: { type: 'cls' } });

const dev = fs.readFileSync(path.join(shared, 'data', 'glue', 'SST-2', 'dev.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[0]);
const texts = Array.from({ length: textCount }, (_, i) => dev[i % dev.length]);
const maxLength = 128;

// 1. Offline predict, as the CLI runs it (file order, 32 per forward pass), after one warm-up batch.
await predict(classifier, texts.slice(0, 32), { maxLength, batchSize: 32 });
let t0 = performance.now();
await predict(classifier, texts, { maxLength, batchSize: 32 });
const offlineSeconds = (performance.now() - t0) / 1000;
const offlinePerSecond = texts.length / offlineSeconds;

// 2. Served, under load; 3. one client sending one request after another (autocannon -c 1).
const server = await createServer({ classifier, maxBatch: 32, maxLength });
const url = await server.listen('127.0.0.1', 0);
const loadTest = async (clients, duration, list) => {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(here, 'load-client.mjs'), url, String(clients), String(duration), JSON.stringify(list)], { maxBuffer: 1 << 26 });
  return JSON.parse(stdout.trim().split('\n').pop());
};
const load = await loadTest(connections, seconds, texts);
const served = {
  requestsPerSecond: load.requests.average, sentencesPerSecond: load.requests.total / load.duration,
  latencyMs: { p50: load.latency.p50, p90: load.latency.p90, p99: load.latency.p99 },
  errors: load.errors + load.timeouts + load.non2xx, requests: load.requests.total,
};

// Idle latency of one request against the model's own forward pass for the same input.
const probe = texts.find((t) => t.split(' ').length >= 15) ?? texts[0];
const forward = [];
for (let i = 0; i < 50; i++) {
  t0 = performance.now();
  await predict(classifier, [probe], { maxLength, batchSize: 1 });
  forward.push(performance.now() - t0);
}
const sequential = await loadTest(1, Math.max(3, Math.round(seconds / 3)), [probe]);
const single = { p50: sequential.latency.p50, mean: sequential.latency.mean, requests: sequential.requests.total, errors: sequential.errors + sequential.timeouts + sequential.non2xx };
await server.close();
classifier.model.dispose();

const result = {
  when: new Date().toISOString(), host: os.hostname(), cpus: os.cpus().length, cpu: os.cpus()[0]?.model,
  backend: backend.name, threads: backend.threads ?? null, preset, texts: texts.length, maxLength, connections, seconds,
  env: { OPENBLAS_CORETYPE: process.env.OPENBLAS_CORETYPE ?? null, OPENBLAS_L2_SIZE: process.env.OPENBLAS_L2_SIZE ?? null },
  offline: { sentencesPerSecond: offlinePerSecond, seconds: offlineSeconds },
  served, throughputRatio: served.sentencesPerSecond / offlinePerSecond,
  idle: { requestMs: single.p50, requestMeanMs: single.mean, requests: single.requests, errors: single.errors, forwardMs: median(forward), ratio: single.p50 / median(forward), probeWords: probe.split(' ').length },
  targets: { throughputRatio: '>= 0.8', idleRatio: '<= 1.2', errors: 0 },
};
const stamp = result.when.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
const out = path.join(root, 'bench', 'results', `${stamp}-serve`);
fs.writeFileSync(`${out}.json`, JSON.stringify(result, null, 2) + '\n');
const md = [
  `# Serving benchmark, ${result.when}`, '',
  `bert-${preset}, random weights, \`cls\` head, backend ${result.backend}${result.threads ? ` (${result.threads} threads)` : ''}, ${result.cpus} CPUs; SST-2 dev sentences, max length ${maxLength}.`, '',
  '| measure | value | target |', '|---|---|---|',
  `| offline predict (batch 32) | ${offlinePerSecond.toFixed(1)} sentences/s | |`,
  `| served, ${connections} clients × 1 sentence | ${served.sentencesPerSecond.toFixed(1)} sentences/s = **${result.throughputRatio.toFixed(2)}×** offline | ≥ 0.8× |`,
  `| served latency p50 / p90 / p99 | ${served.latencyMs.p50} / ${served.latencyMs.p90} / ${served.latencyMs.p99} ms | |`,
  `| errors | ${served.errors} of ${served.requests} | 0 |`,
  `| idle request vs forward (${result.idle.probeWords} words) | ${result.idle.requestMs.toFixed(1)} vs ${result.idle.forwardMs.toFixed(1)} ms = **${result.idle.ratio.toFixed(2)}×** | ≤ 1.2× |`, '',
].join('\n');
fs.writeFileSync(`${out}.md`, md);
process.stdout.write(md + `\nwritten: ${out}.json, ${out}.md\n`);
