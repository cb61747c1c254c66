import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startBackend } from '../backend.js';
import { BACKEND_OPTIONS, stringOption, type Command } from '../command.js';
import { loadModelFolder } from '../model.js';
import { embedRows } from './embed.js';
import { initModelFolder } from './init.js';

const SENTENCES = [
  'The movie was wonderful and the actors were brilliant.',
  'A delightful film with a brilliant cast.',
  'The service at this restaurant was painfully slow.',
  'Win a free cruise now, click this link!',
];

function cosine(a: number[], b: number[]): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run the main job on built-in defaults, offline: a built-in tiny BERT embeds a few sentences.',
  options: {
    model: { type: 'string', value: 'DIR', description: 'use this model folder instead of the built-in tiny one' },
    ...BACKEND_OPTIONS,
  },
  details: 'Without --model the weights are random (no downloads here), so similarities show the pipeline works, not semantics.',
  async run(opts, _pos, io) {
    const backend = await startBackend(opts, io);
    let dir = stringOption(opts, 'model');
    if (!dir) {
      dir = path.join(os.tmpdir(), 'maxpoolbert-demo-tiny');
      if (!(await fsp.stat(path.join(dir, 'model.safetensors')).catch(() => null))) {
        await initModelFolder({ out: dir, preset: 'tiny', seed: 0 });
      }
      io.stdout(`Built-in tiny BERT (2 layers × 128, random initialisation) at ${dir}\n`);
    }
    io.stdout(`Backend: ${backend.name} (${backend.device})\n\n`);
    const model = await loadModelFolder(dir);
    try {
      const started = performance.now();
      const rows = await embedRows(model, SENTENCES.map((text, i) => ({ line: i + 1, text })), {
        pooling: 'mean', allLayers: false, maxLength: model.config.max_position_embeddings,
      });
      const ms = performance.now() - started;
      const vectors = rows.map((r) => r.embedding as number[]);
      io.stdout(`Embedded ${SENTENCES.length} sentences (mean pooling, ${vectors[0].length} dims) in ${ms.toFixed(0)} ms.\nCosine similarity:\n`);
      SENTENCES.forEach((s, i) => {
        const sims = vectors.map((v) => cosine(vectors[i], v).toFixed(3).padStart(7)).join('');
        io.stdout(`  ${String(i + 1)}. ${s.slice(0, 48).padEnd(50)}${sims}\n`);
      });
    } finally {
      model.encoder.dispose();
    }
  },
};
