import { evaluate } from '@maxpoolbert/core';
import { startBackend } from '../backend.js';
import { BACKEND_OPTIONS, intOption, stringOption, type Command } from '../command.js';
import { commandMaxLength, MAX_LENGTH_OPTION } from '../max-length.js';
import { loadFineTunedFolder } from '../model.js';
import { loadData } from '../training/data-source.js';
import { DATA_OPTIONS, dataArgsFrom } from '../training/train-flags.js';

// --labels too: a trained model's labels are in its config.
const { train: _train, dev: _dev, 'train-limit': _limit, labels: _labels, ...EVAL_DATA_OPTIONS } = DATA_OPTIONS;

export const evalCommand: Command = {
  name: 'eval',
  summary: 'Score a fine-tuned model on a GLUE dev set or a labelled file; prints metrics as JSON.',
  options: {
    model: { type: 'string', value: 'DIR', description: 'fine-tuned model folder', required: true },
    ...EVAL_DATA_OPTIONS,
    data: { type: 'string', value: 'DIR|FILE', description: 'with --task: the GLUE folder; else the labelled file to score' },
    'max-length': MAX_LENGTH_OPTION,
    'batch-size': { type: 'string', value: 'N', description: 'rows per forward pass', default: '64' },
    ...BACKEND_OPTIONS,
  },
  async run(opts, _pos, io) {
    const dataArgs = dataArgsFrom(opts, true); // a missing data flag fails (exit 2) before the backend starts
    await startBackend(opts, io);
    const loaded = await loadFineTunedFolder(stringOption(opts, 'model')!, 'eval');
    try {
      const data = await loadData(dataArgs, { needTrain: false, seed: intOption(opts, 'data-seed', 0)!, labels: loaded.model.labels });
      for (const n of data.notes) io.stderr(`note: ${n}\n`);
      const started = performance.now();
      const result = await evaluate(loaded.model, loaded.tokenizer, data.dev, data.metrics, {
        batchSize: intOption(opts, 'batch-size')!, maxLength: commandMaxLength(intOption(opts, 'max-length', 2), loaded.config),
      });
      io.stdout(JSON.stringify({
        data: data.description, examples: data.dev.examples.length, metrics: result.metrics, loss: result.loss,
        mainMetric: data.mainMetric, seconds: (performance.now() - started) / 1000,
      }, null, 2) + '\n');
    } finally {
      loaded.model.dispose();
    }
  },
};
