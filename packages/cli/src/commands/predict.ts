import { predict } from '@maxpoolbert/core';
import { startBackend } from '../backend.js';
import { BACKEND_OPTIONS, intOption, stringOption, type Command } from '../command.js';
import { inputUtf8Options, STRICT_INPUT_OPTION } from '../input-utf8.js';
import { mapJsonlInBatches } from '../jsonl.js';
import { checkMaxLengthFlag, commandMaxLength, MAX_LENGTH_OPTION } from '../max-length.js';
import { loadFineTunedFolder } from '../model.js';

export const predictCommand: Command = {
  name: 'predict',
  summary: 'Classify JSONL texts with a fine-tuned MaxPoolBERT model folder.',
  options: {
    model: { type: 'string', value: 'DIR', description: 'fine-tuned model folder (config.json with maxpoolbert_head, model.safetensors, vocab.txt)', required: true },
    input: { type: 'string', value: 'IN.jsonl', description: 'one {"text", "text_pair"?} per line', required: true },
    output: { type: 'string', value: 'OUT.jsonl', description: 'one prediction per line, in input order', required: true },
    'max-length': MAX_LENGTH_OPTION,
    'batch-size': { type: 'string', value: 'N', description: 'rows per forward pass', default: '32' },
    strict: STRICT_INPUT_OPTION,
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
    checkMaxLengthFlag(intOption(opts, 'max-length', 1)); // before the model loads
    await startBackend(opts, io);
    const loaded = await loadFineTunedFolder(stringOption(opts, 'model')!, 'predict');
    try {
      const maxLength = commandMaxLength(intOption(opts, 'max-length', 2), loaded.config);
      await mapJsonlInBatches(input, stringOption(opts, 'output')!, batchSize, (rows) => predict(loaded, rows, { maxLength, batchSize }), {
        // As for training data: an empty text is an error, invalid UTF-8 is reported (or refused).
        requireText: true,
        maxLength,
        ...inputUtf8Options(opts, input, io),
      });
    } finally {
      loaded.model.dispose();
    }
  },
};
