import { BACKEND_OPTIONS, givenOptions, stringOption, UsageError, type Command } from '../command.js';
import { startBackend } from '../backend.js';
import { refuseIfLocked } from '../training/out-lock.js';
import { PRETRAIN_DATA_OPTIONS, PRETRAIN_TRAIN_OPTIONS, pretrainArgsFrom } from '../pretrain/pretrain-flags.js';
import { formatPretrainSummary, runPretraining } from '../pretrain/run-pretraining.js';

/** Flags about how to run, not what to train: a resume takes them (the others come from the checkpoint). */
const RUN_FLAGS = new Set(['resume', 'quiet', 'json-log', 'backend', 'threads', 'allow-fallback']);

export const pretrainCommand: Command = {
  name: 'pretrain',
  summary: 'Masked-language-model (continued) pre-training on your text (domain adaptation); resumable.',
  options: {
    ...PRETRAIN_DATA_OPTIONS,
    out: { type: 'string', value: 'DIR', description: 'output folder: the pre-trained model (a BertForMaskedLM folder), checkpoint/, pretrain_results.json' },
    seed: { type: 'string', value: 'N', description: 'seed for masking, dropout, shuffling (and --preset weights)', default: '42' },
    resume: { type: 'string', value: 'DIR', description: 'continue the run in DIR from its last checkpoint, with its own settings' },
    ...PRETRAIN_TRAIN_OPTIONS,
    quiet: { type: 'boolean', description: 'no progress output' },
    'json-log': { type: 'string', value: 'FILE', description: 'append a JSON line per step and per evaluation' },
    ...BACKEND_OPTIONS,
  },
  details: 'As Hugging Face run_mlm.py: by default each line is encoded as [CLS] line [SEP], the encodings are concatenated and cut\n' +
    'into blocks of --max-length tokens (per 1000 lines; the remainder is dropped); --line-by-line makes one example per line.\n' +
    '15 % of the tokens (not [CLS]/[SEP]/padding) are chosen afresh every epoch: 80 % become [MASK], 10 % a random token, 10 % stay.\n' +
    'The validation loss and perplexity are measured on one fixed masking of the validation lines, every epoch (or --eval-every N steps).\n' +
    'Defaults: lr 5e-5, batch 32, 3 epochs, warm-up 10 %, weight decay 0.01, clipping 1.0, max length 128, 5 % of the lines for validation.\n' +
    'OUT is then a model folder: maxpoolbert train --model OUT … fine-tunes it. One process at a time per OUT.',
  async run(opts, _pos, io) {
    const resumeDir = stringOption(opts, 'resume');
    if (resumeDir) {
      const fixed = [...givenOptions(opts)].filter((k) => !RUN_FLAGS.has(k));
      if (fixed.length) {
        throw new UsageError(`pretrain --resume: ${fixed.map((k) => `--${k}`).join(', ')} cannot change when resuming (the run keeps the settings it started with; start a new run with another --out for that)`);
      }
    }
    const args = resumeDir ? null : pretrainArgsFrom(opts); // usage errors before the backend starts
    const outDir = resumeDir ?? stringOption(opts, 'out');
    if (!outDir) throw new UsageError('pretrain: --out DIR is required (or --resume DIR) (see maxpoolbert pretrain --help)');
    refuseIfLocked(outDir); // another process works there: say so now, not after loading
    const backend = await startBackend(opts, io);
    const result = await runPretraining(outDir, args, {
      io, quiet: opts.quiet === true, jsonLog: stringOption(opts, 'json-log'), backend: backend.name, threads: backend.threads,
    });
    io.stdout(formatPretrainSummary(result));
  },
};
