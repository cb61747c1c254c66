import * as tf from '@tensorflow/tfjs-core';
import { disposeBatch, toBatch, type LoadedClassifier } from '@maxpoolbert/core';
import { startBackend } from '../backend.js';
import { BACKEND_OPTIONS, intOption, stringOption, type Command } from '../command.js';
import { mapJsonlInBatches, maxLengthFor, type TextRow } from '../jsonl.js';
import { loadClassifierFolder } from '../model.js';

/** Predictions for one batch, one JSON-ready object per row, in row order. */
export async function predictRows(loaded: LoadedClassifier, rows: TextRow[], maxLength: number): Promise<Record<string, unknown>[]> {
  const { model, tokenizer } = loaded;
  const batch = toBatch(rows.map((r) => tokenizer.encode(r.text, r.textPair, { maxLength: Math.min(r.maxLength ?? maxLength, maxLength) })), tokenizer.padId);
  const logits = model.logits(batch, { training: false });
  try {
    const values = (await logits.array()) as number[][];
    if (model.labels.problemType === 'regression') return values.map((l) => ({ logits: l, score: l[0] }));
    const probs = tf.tidy(() => tf.softmax(logits));
    const probabilities = (await probs.array()) as number[][];
    probs.dispose();
    return values.map((l, i) => {
      const p = probabilities[i];
      const best = p.indexOf(Math.max(...p));
      return { logits: l, probabilities: p, label: model.labels.names[best] };
    });
  } finally {
    logits.dispose();
    disposeBatch(batch);
  }
}

export const predictCommand: Command = {
  name: 'predict',
  summary: 'Classify JSONL texts with a fine-tuned MaxPoolBERT model folder.',
  options: {
    model: { type: 'string', value: 'DIR', description: 'fine-tuned model folder (config.json with maxpoolbert_head, model.safetensors, vocab.txt)', required: true },
    input: { type: 'string', value: 'IN.jsonl', description: 'one {"text", "text_pair"?} per line', required: true },
    output: { type: 'string', value: 'OUT.jsonl', description: 'one prediction per line, in input order', required: true },
    'max-length': { type: 'string', value: 'N', description: "truncate to N tokens (default: the model's max_position_embeddings)" },
    'batch-size': { type: 'string', value: 'N', description: 'rows per forward pass', default: '32' },
    ...BACKEND_OPTIONS,
  },
  details: [
    'Output per line:',
    '  classification  {"logits": [...], "probabilities": [...], "label": "<id2label name>"}',
    '  regression      {"logits": [x], "score": x}',
  ].join('\n'),
  async run(opts, _pos, io) {
    const batchSize = intOption(opts, 'batch-size')!;
    const input = stringOption(opts, 'input')!;
    await startBackend(opts, io);
    const loaded = await loadClassifierFolder(stringOption(opts, 'model')!);
    try {
      const maxLength = maxLengthFor(intOption(opts, 'max-length', 2), loaded.config.max_position_embeddings);
      await mapJsonlInBatches(input, stringOption(opts, 'output')!, batchSize, (rows) => predictRows(loaded, rows, maxLength));
    } finally {
      loaded.model.dispose();
    }
  },
};
