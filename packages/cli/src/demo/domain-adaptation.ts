import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_PRETRAIN_OPTIONS, type BackendInfo } from '@maxpoolbert/core';
import { writeFileAtomic } from '@maxpoolbert/backend-node';
import type { CliIo } from '../command.js';
import { holdsPretrainCheckpoint, RESULTS_FILE } from '../pretrain/pretrain-checkpoint.js';
import type { PretrainRunArgs } from '../pretrain/pretrain-flags.js';
import { runPretraining, type PretrainResult } from '../pretrain/run-pretraining.js';

/**
 * The demo's settings for masked-LM pre-training on the unlabelled e-mails: blocks as long as
 * the fine-tuning inputs (64 tokens), and a learning rate for a small model that starts from
 * random weights (10× run_mlm.py's 5e-5, which suits pre-trained bert-base).
 */
const DEMO_PRETRAINING = {
  ...DEFAULT_PRETRAIN_OPTIONS, batchSize: 32, learningRate: 5e-4, maxLength: 64, seed: 0,
  evalEvery: 100, // a few evaluations per epoch (~390 steps), so the log shows the validation loss falling
};

export interface DomainAdaptation {
  /** The adapted model folder (a BertForMaskedLM folder), for the comparison to fine-tune. */
  model: string;
  result: PretrainResult;
}

/**
 * The demo's domain-adaptation step ("don't stop pre-training"): continued masked-LM
 * pre-training of `model` on the e-mails that are not in the labelled split, into
 * `OUT/pretrained`. Like the rest of the demo it continues where an interrupted run stopped,
 * and a finished one is reused as it is.
 */
export async function adaptToDomain(args: {
  model: string; texts: readonly string[]; out: string; epochs: number; io: CliIo; backend: BackendInfo; quiet?: boolean;
}): Promise<DomainAdaptation> {
  const dir = path.join(args.out, 'pretrained');
  const finished = path.join(dir, RESULTS_FILE);
  if (await fsp.stat(finished).catch(() => null)) {
    return { model: dir, result: JSON.parse(await fsp.readFile(finished, 'utf8')) as PretrainResult };
  }
  const o = { io: args.io, quiet: args.quiet, backend: args.backend.name, threads: args.backend.threads };
  if (await holdsPretrainCheckpoint(dir)) return { model: dir, result: await runPretraining(dir, null, o) };

  // One e-mail per line (emailText already collapsed its whitespace), written before the run
  // so that a resumed run reads the same text (its fingerprint is checked).
  const textFile = path.join(args.out, 'data', 'unlabelled.txt');
  await writeFileAtomic(textFile, args.texts.map((t) => t.replace(/\s+/g, ' ') + '\n'));
  const run: PretrainRunArgs = {
    origin: { model: path.resolve(args.model) },
    text: [textFile],
    validationSplit: 0.05,
    dataSeed: 0,
    strict: false,
    options: { ...DEMO_PRETRAINING, epochs: args.epochs },
  };
  return { model: dir, result: await runPretraining(dir, run, o) };
}
