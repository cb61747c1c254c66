import * as tf from '@tensorflow/tfjs-core';
import { disposeBatch, poolTokens, toBatch, type LoadedBert, type TokenPooling } from '@maxpoolbert/core';
import { startBackend } from '../backend.js';
import { BACKEND_OPTIONS, intOption, stringOption, UsageError, type Command } from '../command.js';
import { inputUtf8Options, STRICT_INPUT_OPTION } from '../input-utf8.js';
import { mapJsonlInBatches, type TextRow } from '../jsonl.js';
import { commandMaxLength, MAX_LENGTH_OPTION } from '../max-length.js';
import { loadModelFolder } from '../model.js';

type Pooling = TokenPooling | 'none';
const POOLINGS: Pooling[] = ['cls', 'mean', 'max', 'none'];

export interface EmbedSettings {
  pooling: Pooling;
  allLayers: boolean;
  maxLength: number;
}

/**
 * Embeds one batch of rows; returns one JSON-ready object per row. Only real tokens are
 * reported, and pooling ignores padding, so a row's result does not depend on its batch.
 */
export async function embedRows(model: LoadedBert, rows: TextRow[], s: EmbedSettings): Promise<Record<string, unknown>[]> {
  const encodings = rows.map((r) => model.tokenizer.encode(r.text, r.textPair, { maxLength: Math.min(r.maxLength ?? s.maxLength, s.maxLength) }));
  const lengths = encodings.map((e) => e.inputIds.length);
  const batch = toBatch(encodings, model.tokenizer.padId);
  const out = model.encoder.forward(batch, { training: false });
  try {
    const layers = s.allLayers ? out.hiddenStates : out.hiddenStates.slice(-1);
    if (s.pooling === 'none') {
      const perLayer = await Promise.all(layers.map((h) => h.array()));
      return rows.map((_, b) => {
        const tokens = perLayer.map((layer) => layer[b].slice(0, lengths[b]));
        return s.allLayers ? { hidden_states: tokens } : { embedding: tokens[0] };
      });
    }
    const pooled = await Promise.all(
      layers.map(async (h) => {
        const v = poolTokens(h, out.mask, s.pooling as TokenPooling);
        try {
          return await v.array();
        } finally {
          v.dispose();
        }
      }),
    );
    return rows.map((_, b) => ({ embedding: s.allLayers ? pooled.map((layer) => layer[b]) : pooled[0][b] }));
  } finally {
    tf.dispose([...out.hiddenStates, out.mask]);
    disposeBatch(batch);
  }
}

export const embedCommand: Command = {
  name: 'embed',
  summary: 'Run the BERT encoder over JSONL texts and write embeddings or every hidden state.',
  options: {
    model: { type: 'string', value: 'DIR', description: 'Hugging Face BERT folder (config.json, vocab.txt, model.safetensors)', required: true },
    input: { type: 'string', value: 'IN.jsonl', description: 'one {"text", "text_pair"?, "max_length"?} per line', required: true },
    output: { type: 'string', value: 'OUT.jsonl', description: 'one result per line, in input order', required: true },
    'max-length': MAX_LENGTH_OPTION,
    'batch-size': { type: 'string', value: 'N', description: 'rows per forward pass', default: '32' },
    pooling: { type: 'string', value: 'HOW', description: 'cls | mean | max (over real tokens) | none (every token)', default: 'mean' },
    'all-layers': { type: 'boolean', description: 'report every hidden state, embedding output first' },
    strict: STRICT_INPUT_OPTION,
    ...BACKEND_OPTIONS,
  },
  details: [
    'Output per line:',
    '  default                    {"embedding": [hidden]}          last layer, pooled',
    '  --all-layers               {"embedding": [layer][hidden]}   every hidden state, pooled',
    '  --pooling none             {"embedding": [token][hidden]}   last layer, real tokens only',
    '  --all-layers --pooling none {"hidden_states": [layer][token][hidden]}',
  ].join('\n'),
  async run(opts, _pos, io) {
    const pooling = stringOption(opts, 'pooling') as Pooling;
    if (!POOLINGS.includes(pooling)) throw new UsageError(`--pooling must be one of ${POOLINGS.join(', ')}, got "${pooling}"`);
    const batchSize = intOption(opts, 'batch-size')!;
    const input = stringOption(opts, 'input')!;
    await startBackend(opts, io);
    const model = await loadModelFolder(stringOption(opts, 'model')!);
    try {
      const maxLength = commandMaxLength(intOption(opts, 'max-length', 2), model.config);
      const settings: EmbedSettings = { pooling, allLayers: opts['all-layers'] === true, maxLength };
      await mapJsonlInBatches(input, stringOption(opts, 'output')!, batchSize, (rows) => embedRows(model, rows, settings), inputUtf8Options(opts, input, io));
    } finally {
      model.encoder.dispose();
    }
  },
};
