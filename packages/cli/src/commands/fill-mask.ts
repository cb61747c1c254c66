import { FsModelSource } from '@maxpoolbert/backend-node';
import { fillMask, inputError, loadMaskedLm, type FillMaskResult, type LoadedMaskedLm } from '@maxpoolbert/core';
import { startBackend } from '../backend.js';
import { BACKEND_OPTIONS, intOption, stringOption, type Command } from '../command.js';
import { inputUtf8Options, STRICT_INPUT_OPTION } from '../input-utf8.js';
import { mapJsonlInBatches, type TextRow } from '../jsonl.js';
import { checkMaxLengthFlag, commandMaxLength, MAX_LENGTH_OPTION } from '../max-length.js';

/**
 * Loads a masked-LM folder for prediction. A folder without a trained head (a plain BertModel)
 * or whose tokenizer has no mask token is refused: its predictions would mean nothing.
 */
async function loadMaskedLmFolder(dir: string): Promise<LoadedMaskedLm> {
  const source = await FsModelSource.open(dir);
  const loaded = await loadMaskedLm(source, { trainable: false });
  const problem = loaded.headInitialised
    ? inputError('has no masked-LM head (cls.predictions.*): fill-mask needs a trained one', {
      file: loaded.report.file, fix: 'pass a BertForMaskedLM or BertForPreTraining folder (e.g. bert-base-uncased\'s own), not a BertModel or a fine-tuned classifier',
    })
    : loaded.tokenizer.maskToken === undefined || loaded.tokenizer.maskId === undefined
      ? inputError('the tokenizer has no mask token', { file: source.pathOf('tokenizer_config.json'), field: 'mask_token', fix: 'set mask_token to the vocabulary\'s mask token, e.g. "[MASK]"' })
      : undefined;
  if (problem) {
    loaded.model.dispose();
    throw problem;
  }
  return loaded;
}

export const fillMaskCommand: Command = {
  name: 'fill-mask',
  summary: 'Predict the tokens at every [MASK] of JSONL texts with a masked-LM (BertForMaskedLM) folder.',
  options: {
    model: { type: 'string', value: 'DIR', description: 'BertForMaskedLM or BertForPreTraining folder (config.json, model.safetensors with cls.predictions.*, vocab.txt)', required: true },
    input: { type: 'string', value: 'IN.jsonl', description: 'one {"text", "text_pair"?} per line, with one or more [MASK]', required: true },
    output: { type: 'string', value: 'OUT.jsonl', description: 'one result per line, in input order', required: true },
    'top-k': { type: 'string', value: 'K', description: 'candidates per [MASK]', default: '5' },
    'max-length': MAX_LENGTH_OPTION,
    'batch-size': { type: 'string', value: 'N', description: 'rows per forward pass', default: '32' },
    strict: STRICT_INPUT_OPTION,
    ...BACKEND_OPTIONS,
  },
  details: [
    'Output per line, one entry per [MASK] in order (position: index in the input ids, [CLS] = 0;',
    'score: softmax probability over the whole vocabulary, most probable first):',
    '  {"masks": [{"position": 6, "predictions": [{"token_id": 3000, "token": "paris", "score": 0.41}, ...]}]}',
    'Write the mask token exactly as the tokenizer has it ([MASK]): "[mask]" is plain text.',
  ].join('\n'),
  async run(opts, _pos, io) {
    const topK = intOption(opts, 'top-k')!;
    const batchSize = intOption(opts, 'batch-size')!;
    const input = stringOption(opts, 'input')!;
    checkMaxLengthFlag(intOption(opts, 'max-length', 1)); // before the model loads
    await startBackend(opts, io);
    const loaded = await loadMaskedLmFolder(stringOption(opts, 'model')!);
    try {
      for (const note of loaded.notes) io.stderr(`note: ${note}\n`);
      const { model, tokenizer } = loaded;
      const maskToken = tokenizer.maskToken!; // loadMaskedLmFolder refuses a tokenizer without one
      const maxLength = commandMaxLength(intOption(opts, 'max-length', 2), loaded.config);
      const where = (row: TextRow) => ({ file: input, field: `line ${row.line}` });
      const fill = async (rows: TextRow[]): Promise<FillMaskResult[]> => {
        for (const row of rows) {
          if (!row.text.includes(maskToken) && !row.textPair?.includes(maskToken)) {
            throw inputError(`no ${maskToken} in "text" or "text_pair"`, { ...where(row), fix: `put ${maskToken} where a token is to be predicted; it is case-sensitive` });
          }
        }
        const results = await fillMask(model, tokenizer, rows, { topK, maxLength, batchSize });
        results.forEach((r, i) => {
          if (r.masks.length === 0) {
            throw inputError(`truncation to ${maxLength} tokens cut off every ${maskToken}`, { ...where(rows[i]), fix: 'pass a larger --max-length (or "max_length"), or move the mask nearer the start' });
          }
        });
        return results;
      };
      await mapJsonlInBatches(input, stringOption(opts, 'output')!, batchSize, fill, { maxLength, ...inputUtf8Options(opts, input, io) });
    } finally {
      loaded.model.dispose();
    }
  },
};
