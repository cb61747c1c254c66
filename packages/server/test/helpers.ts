import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@maxpoolbert/heads';
import { loadClassifier, MemoryModelSource, type LoadedClassifier } from '@maxpoolbert/core';
import { HEADS_FIXTURES_DIR } from '../../../testing/shared-fixtures';
import { createServer, type InferenceServer, type ServerOptions } from '../src/index';

/** A fine-tuned reference checkpoint with the independent implementation's logits (expected.jsonl). */
export const MODEL_DIR = path.join(HEADS_FIXTURES_DIR, 'max-seq-mha-k2-h4-pooler-2labels');

export interface Expected { text: string; text_pair?: string; logits: number[] }

export function readExpected(): Expected[] {
  return fs.readFileSync(path.join(MODEL_DIR, 'expected.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Expected);
}

export async function loadFixtureClassifier(): Promise<LoadedClassifier> {
  await tf.setBackend('cpu');
  const files = new Map<string, Uint8Array>();
  for (const name of fs.readdirSync(MODEL_DIR)) {
    if (name === 'expected.jsonl') continue;
    const b = fs.readFileSync(path.join(MODEL_DIR, name));
    files.set(name, new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  }
  return loadClassifier(new MemoryModelSource(files, MODEL_DIR), {});
}

/** A real server on a free loopback port. */
export async function startServer(opts: Omit<ServerOptions, 'classifier'> & { classifier: LoadedClassifier }): Promise<{ server: InferenceServer; url: string }> {
  const server = await createServer(opts);
  const url = await server.listen('127.0.0.1', 0);
  return { server, url };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}
