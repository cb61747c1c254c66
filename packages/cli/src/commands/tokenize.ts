import { intOption, stringOption, type Command } from '../command.js';
import { inputUtf8Options, STRICT_INPUT_OPTION } from '../input-utf8.js';
import { readJsonl, textRow, writeJsonl } from '../jsonl.js';
import { loadTokenizerFolder } from '../model.js';

export const tokenizeCommand: Command = {
  name: 'tokenize',
  summary: 'Tokenize JSONL texts exactly as Hugging Face does (BERT WordPiece, RoBERTa byte-level BPE).',
  options: {
    model: { type: 'string', value: 'DIR', description: 'model folder with tokenizer.json, vocab.txt or vocab.json + merges.txt (each + tokenizer_config.json)', required: true },
    input: { type: 'string', value: 'IN.jsonl', description: 'one {"text", "text_pair"?, "max_length"?} per line', required: true },
    output: { type: 'string', value: 'OUT.jsonl', description: 'one {"input_ids", "token_type_ids", "attention_mask"} per line', required: true },
    'max-length': { type: 'string', value: 'N', description: 'truncate to N tokens, longest first (a row\'s max_length wins; default: no truncation)' },
    strict: STRICT_INPUT_OPTION,
  },
  details: 'Special tokens are added; nothing is padded. Output rows are in input order.',
  async run(opts, _pos, io) {
    const tokenizer = await loadTokenizerFolder(stringOption(opts, 'model')!);
    const defaultMax = intOption(opts, 'max-length', 2);
    const input = stringOption(opts, 'input')!;
    await writeJsonl(stringOption(opts, 'output')!, async (emit) => {
      for await (const raw of readJsonl(input, inputUtf8Options(opts, input, io))) {
        const row = textRow(raw, input);
        const e = tokenizer.encode(row.text, row.textPair, { maxLength: row.maxLength ?? defaultMax });
        await emit({ input_ids: e.inputIds, token_type_ids: e.tokenTypeIds, attention_mask: e.attentionMask });
      }
    });
  },
};
