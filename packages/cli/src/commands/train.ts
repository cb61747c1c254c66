import * as path from 'node:path';
import { heads, validateTrainOptions } from '@maxpoolbert/core';
import { startBackend } from '../backend.js';
import { asUsage, BACKEND_OPTIONS, givenOptions, intOption, stringOption, UsageError, type Command } from '../command.js';
import { loadData } from '../training/data-source.js';
import { exitWithParent } from '../training/exit-with-parent.js';
import { refuseIfLocked } from '../training/out-lock.js';
import { RESUME_FLAG_LIST, resumeChangesFrom } from '../training/resume-changes.js';
import { runTraining } from '../training/run-training.js';
import { DATA_OPTIONS, dataArgsFrom, HEAD_OPTIONS, headSpecFrom, noPoolerFrom, TRAIN_OPTIONS, trainOptionsFrom } from '../training/train-flags.js';
import { formatRunSummary } from '../training/summary.js';

export const trainCommand: Command = {
  name: 'train',
  summary: 'Fine-tune BERT with a pooling head on a GLUE task or labelled files; resumable.',
  options: {
    model: { type: 'string', value: 'DIR', description: 'pre-trained BERT folder (or a fine-tuned one to train further)' },
    head: { type: 'string', value: 'NAME', description: 'cls, mean, max, max-cls, mha, max-seq-mha (alias maxpoolbert), or a plugin head' },
    out: { type: 'string', value: 'DIR', description: 'output folder: best/ (best model), checkpoint/ (resumable), results.json' },
    seed: { type: 'string', value: 'N', description: 'seed for head init, dropout and shuffling', default: '42' },
    resume: { type: 'string', value: 'DIR', description: `continue the run in DIR from its last checkpoint, with its settings (only ${RESUME_FLAG_LIST} may change)` },
    ...DATA_OPTIONS,
    ...TRAIN_OPTIONS,
    ...HEAD_OPTIONS,
    quiet: { type: 'boolean', description: 'no progress output' },
    'json-log': { type: 'string', value: 'FILE', description: 'append a JSON line per step and per evaluation' },
    ...BACKEND_OPTIONS,
  },
  details: 'Defaults: lr 2e-5, batch 32, 3 epochs, warm-up 10 %, weight decay 0.01, clipping 1.0, max length 128.\nThe best model (by the task\'s main metric on dev) is written to OUT/best; `maxpoolbert predict --model OUT/best` uses it.\n' +
    `--resume OUT continues with the run's own settings; ${RESUME_FLAG_LIST} may change (e.g. a lower --lr after a diverged run, more --epochs),\n` +
    'the other training, data and head flags are refused. One process at a time per OUT (the others are refused).',
  async run(opts, _pos, io) {
    exitWithParent(); // a compare's child stops when its compare is gone
    const resumeDir = stringOption(opts, 'resume');
    // Checked before the backend starts, so a refused flag costs nothing.
    const resumeChanges = resumeDir ? resumeChangesFrom(opts, givenOptions(opts)) : undefined;
    const outDir = resumeDir ?? stringOption(opts, 'out');
    if (outDir) refuseIfLocked(outDir); // another train or compare works there: say so now, not after loading
    const backend = await startBackend(opts, io);
    const common = { io, quiet: opts.quiet === true, jsonLog: stringOption(opts, 'json-log'), backend: backend.name, threads: backend.threads };
    if (resumeDir) {
      const result = await runTraining(resumeDir, null, { ...common, resumeChanges });
      io.stdout(formatRunSummary(result));
      return;
    }
    const model = stringOption(opts, 'model');
    const head = stringOption(opts, 'head');
    const out = stringOption(opts, 'out');
    if (!model || !head || !out) throw new UsageError('train: --model, --head and --out are required (or --resume DIR) (see maxpoolbert train --help)');
    asUsage(() => heads.get(head)); // an unknown head fails (exit 2) before anything is created
    const seed = intOption(opts, 'seed', 0)!;
    const options = trainOptionsFrom(opts, seed);
    const problems = validateTrainOptions(options);
    if (problems.length) throw new UsageError(problems.join('; '));
    const data = dataArgsFrom(opts);
    const dataSeed = intOption(opts, 'data-seed', 0)!;
    // Labels are fixed from the training data now, so a resumed run maps them identically.
    const loaded = await loadData(data, { needTrain: true, seed: dataSeed });
    const args = { model: path.resolve(model), head: headSpecFrom(opts, head), data, dataSeed, options, labels: loaded.labels, ...noPoolerFrom(opts) };
    const result = await runTraining(out, args, { ...common, data: loaded });
    io.stdout(formatRunSummary(result));
  },
};
