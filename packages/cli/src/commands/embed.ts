import { EMBED_POOLINGS, embedBatch, type EmbedPooling, type EmbedSettings } from '@maxpoolbert/core';
import { startBackend } from '../backend.js';
import { BACKEND_OPTIONS, intOption, stringOption, UsageError, type Command } from '../command.js';
import { inputUtf8Options, STRICT_INPUT_OPTION } from '../input-utf8.js';
import { mapJsonlInBatches } from '../jsonl.js';
import { commandMaxLength, MAX_LENGTH_OPTION } from '../max-length.js';
import { loadModelFolder } from '../model.js';

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
    const pooling = stringOption(opts, 'pooling') as EmbedPooling;
    if (!EMBED_POOLINGS.includes(pooling)) throw new UsageError(`--pooling must be one of ${EMBED_POOLINGS.join(', ')}, got "${pooling}"`);
    const batchSize = intOption(opts, 'batch-size')!;
    const input = stringOption(opts, 'input')!;
    await startBackend(opts, io);
    const model = await loadModelFolder(stringOption(opts, 'model')!);
    try {
      const maxLength = commandMaxLength(intOption(opts, 'max-length', 2), model.config);
      const settings: EmbedSettings = { pooling, allLayers: opts['all-layers'] === true, maxLength };
      await mapJsonlInBatches(input, stringOption(opts, 'output')!, batchSize, (rows) => embedBatch(model, rows, settings), inputUtf8Options(opts, input, io));
    } finally {
      model.encoder.dispose();
    }
  },
};
