import * as path from 'node:path';
import { DEFAULT_TRAIN_OPTIONS, MIN_MAX_LENGTH, MIN_PAIR_MAX_LENGTH, type HeadSpec, type TrainOptions } from '@maxpoolbert/core';
import { intOption, stringOption, UsageError, type OptionSpec, type ParsedOptions } from '../command.js';
import type { DataArgs } from './data-source.js';
import { checkDataFlagMix, checkDataFlags, labelsOption } from './data-flag-checks.js';

/** Data flags shared by train, eval and compare. */
export const DATA_OPTIONS: Record<string, OptionSpec> = {
  task: { type: 'string', value: 'TASK', description: 'GLUE task: CoLA, SST-2, MRPC, QQP, STS-B, MNLI, QNLI, RTE, WNLI (with --data DIR)' },
  data: { type: 'string', value: 'DIR', description: 'folder holding <TASK>/train.tsv and dev.tsv (original GLUE layout)' },
  train: { type: 'string', value: 'FILE', description: 'training file (CSV, TSV or JSONL) instead of a GLUE task' },
  dev: { type: 'string', value: 'FILE', description: 'dev file, same format and columns' },
  format: { type: 'string', value: 'FMT', description: 'csv | tsv | jsonl (default: from the file extension)' },
  'text-column': { type: 'string', value: 'COL', description: 'column (name or 0-based index) with the text' },
  'text-pair-column': { type: 'string', value: 'COL', description: 'column with the second text, for pairs' },
  'label-column': { type: 'string', value: 'COL', description: 'column with the label (class name or number)' },
  'train-limit': { type: 'string', value: 'N', description: 'train on a seeded, label-stratified subset of N examples' },
  'dev-limit': { type: 'string', value: 'N', description: 'evaluate on a stratified subset of N dev examples' },
  'data-seed': { type: 'string', value: 'N', description: 'seed of the --train-limit / --dev-limit subsets (same data for every head and seed)', default: '0' },
  'skip-bad-rows': { type: 'boolean', description: 'skip malformed rows (and report how many) instead of failing' },
  labels: { type: 'string', value: 'A,B,...', description: 'the class labels in id order (default: those of the training file, sorted); kept in the model' },
  strict: { type: 'boolean', description: 'invalid UTF-8 in a data file is an error (default: replaced with U+FFFD and reported)' },
  'data-name': { type: 'string', value: 'NAME', description: 'what to call the data in reports and charts' },
};

/** Training hyper-parameter flags shared by train and compare. */
export const TRAIN_OPTIONS: Record<string, OptionSpec> = {
  epochs: { type: 'string', value: 'N', description: 'passes over the training data', default: String(DEFAULT_TRAIN_OPTIONS.epochs) },
  'batch-size': { type: 'string', value: 'N', description: 'examples per optimizer step', default: String(DEFAULT_TRAIN_OPTIONS.batchSize) },
  lr: { type: 'string', value: 'X', description: 'peak learning rate', default: String(DEFAULT_TRAIN_OPTIONS.learningRate) },
  'warmup-ratio': { type: 'string', value: 'X', description: 'linear warm-up over this fraction of the steps', default: String(DEFAULT_TRAIN_OPTIONS.warmupRatio) },
  'warmup-steps': { type: 'string', value: 'N', description: 'warm-up steps (overrides --warmup-ratio)' },
  'weight-decay': { type: 'string', value: 'X', description: 'AdamW decoupled weight decay (not on biases and LayerNorm)', default: String(DEFAULT_TRAIN_OPTIONS.weightDecay) },
  'max-grad-norm': { type: 'string', value: 'X', description: 'global gradient-norm clipping (0 = off)', default: String(DEFAULT_TRAIN_OPTIONS.maxGradNorm) },
  'grad-accum': { type: 'string', value: 'N', description: 'split each batch into N micro-batches (less memory)', default: '1' },
  'max-length': { type: 'string', value: 'N', description: 'truncate inputs to N tokens', default: String(DEFAULT_TRAIN_OPTIONS.maxLength) },
  'eval-every': { type: 'string', value: 'N', description: 'evaluate (and checkpoint) every N steps (default: every epoch)' },
  'early-stopping': { type: 'string', value: 'N', description: 'stop after N evaluations without improvement' },
  'length-bucketing': { type: 'boolean', description: 'batch similar lengths together (less padding, faster)' },
  'eval-batch-size': { type: 'string', value: 'N', description: 'batch size for evaluation', default: String(DEFAULT_TRAIN_OPTIONS.evalBatchSize) },
};

/** Head flags shared by train and compare. */
export const HEAD_OPTIONS: Record<string, OptionSpec> = {
  layers: { type: 'string', value: 'K', description: 'k, the last layers pooled by max-cls / max-seq-mha (default 3)' },
  'num-heads': { type: 'string', value: 'N', description: 'attention heads of the mha / max-seq-mha layer (default 4)' },
  pooler: { type: 'string', value: 'on|off', description: "apply BERT's pooler to the head's vector (default: per head)" },
  'no-pooler': { type: 'boolean', description: 'build the model without a pooler at all (heads then need --pooler off); a checkpoint without one otherwise gets a new pooler' },
  dropout: { type: 'string', value: 'X', description: 'dropout before the classifier (default: classifier_dropout, else hidden_dropout_prob)' },
};

function floatOption(opts: ParsedOptions, key: string, min = 0): number | undefined {
  const raw = opts[key];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`--${key} must be a number >= ${min}, got "${String(raw)}"`);
  return n;
}

export function dataArgsFrom(opts: ParsedOptions, forEval = false): DataArgs {
  const format = stringOption(opts, 'format');
  if (format && !['csv', 'tsv', 'jsonl'].includes(format)) throw new UsageError(`--format must be csv, tsv or jsonl, got "${format}"`);
  checkDataFlagMix(opts, forEval); // flags that would be ignored together: exit 2, before any work
  const task = stringOption(opts, 'task');
  // Absolute, as --model is: training_args.json keeps them, and --resume may run from elsewhere.
  const absolute = (p: string | undefined) => (p === undefined ? undefined : path.resolve(p));
  const args: DataArgs = {
    task,
    dataDir: absolute(task ? stringOption(opts, 'data') : undefined),
    trainFile: absolute(stringOption(opts, 'train')),
    // eval takes the file to score as --data FILE (without --task).
    devFile: absolute(stringOption(opts, 'dev') ?? (forEval && !task ? stringOption(opts, 'data') : undefined)),
    format: format as DataArgs['format'],
    textColumn: stringOption(opts, 'text-column'),
    textPairColumn: stringOption(opts, 'text-pair-column'),
    labelColumn: stringOption(opts, 'label-column'),
    trainLimit: intOption(opts, 'train-limit'),
    devLimit: intOption(opts, 'dev-limit'),
    skipBadRows: opts['skip-bad-rows'] === true,
    labels: labelsOption(opts),
    strict: opts.strict === true,
    name: stringOption(opts, 'data-name'),
  };
  checkDataFlags(args, { needTrain: !forEval }); // a missing or misplaced data flag: exit 2, before any work
  return args;
}

export function trainOptionsFrom(opts: ParsedOptions, seed: number): TrainOptions {
  return {
    epochs: intOption(opts, 'epochs')!,
    batchSize: intOption(opts, 'batch-size')!,
    learningRate: floatOption(opts, 'lr', 1e-12)!,
    warmupRatio: floatOption(opts, 'warmup-ratio')!,
    warmupSteps: intOption(opts, 'warmup-steps', 0),
    weightDecay: floatOption(opts, 'weight-decay')!,
    maxGradNorm: floatOption(opts, 'max-grad-norm')!,
    gradientAccumulation: intOption(opts, 'grad-accum')!,
    maxLength: maxLengthOption(opts)!,
    seed,
    evalEvery: intOption(opts, 'eval-every'),
    earlyStoppingPatience: intOption(opts, 'early-stopping'),
    lengthBucketing: opts['length-bucketing'] === true,
    evalBatchSize: intOption(opts, 'eval-batch-size')!,
  };
}

/**
 * --max-length, checked up front: below 3 ([CLS], a token, [SEP]) no token of the text is kept
 * (pairs need 5, checked against the data when it is read).
 */
export function maxLengthOption(opts: ParsedOptions): number | undefined {
  const n = intOption(opts, 'max-length', 1);
  if (n !== undefined && n < MIN_MAX_LENGTH) {
    throw new UsageError(`--max-length ${n} cannot hold any token ([CLS] and [SEP] take 2): the smallest usable value is ${MIN_MAX_LENGTH} (${MIN_PAIR_MAX_LENGTH} for text pairs)`);
  }
  return n;
}

/** --no-pooler, as TrainingArgs records it (absent when not given, so older runs' args read the same). */
export function noPoolerFrom(opts: ParsedOptions): { noPooler?: true } {
  return opts['no-pooler'] === true ? { noPooler: true } : {};
}

export function headSpecFrom(opts: ParsedOptions, type: string): HeadSpec {
  const pooler = stringOption(opts, 'pooler');
  if (pooler !== undefined && pooler !== 'on' && pooler !== 'off') throw new UsageError(`--pooler must be on or off, got "${pooler}"`);
  return {
    type,
    layers: intOption(opts, 'layers'),
    numHeads: intOption(opts, 'num-heads'),
    usePooler: pooler === undefined ? undefined : pooler === 'on',
    dropout: floatOption(opts, 'dropout'),
  };
}
