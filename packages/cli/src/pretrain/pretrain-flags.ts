import * as path from 'node:path';
import { BERT_PRESETS, DEFAULT_PRETRAIN_OPTIONS, isBertPreset, DEFAULT_VALIDATION_SPLIT, validatePretrainOptions, type PretrainOptions } from '@maxpoolbert/core';
import { intOption, repeatedOption, stringOption, UsageError, type OptionSpec, type ParsedOptions } from '../command.js';
import { maxLengthOption } from '../training/train-flags.js';
import type { ModelOrigin } from './preset-source.js';

const D = DEFAULT_PRETRAIN_OPTIONS;

/** Where the model and the text come from. */
export const PRETRAIN_DATA_OPTIONS: Record<string, OptionSpec> = {
  model: { type: 'string', value: 'DIR', description: 'BERT folder to continue from (BertForMaskedLM, BertForPreTraining or a plain BertModel: a missing head is initialised)' },
  preset: { type: 'string', value: 'NAME', description: `pre-train from random weights of this size instead: ${Object.keys(BERT_PRESETS).join('|')}` },
  vocab: { type: 'string', value: 'FILE', description: 'WordPiece vocab.txt for --preset (default: built-in bert-base-uncased)' },
  text: { type: 'string', value: 'FILE', multiple: true, description: 'training text, UTF-8, one document per line (repeat for more files)' },
  'validation-text': { type: 'string', value: 'FILE', multiple: true, description: 'validation text (default: --validation-split of --text is held out)' },
  'validation-split': { type: 'string', value: 'X', description: `share of the --text lines held out for validation, seeded by --data-seed (default ${DEFAULT_VALIDATION_SPLIT}; 0 = none)` },
  'data-seed': { type: 'string', value: 'N', description: 'seed of the validation split (keep it to compare runs on the same validation lines)', default: '0' },
  'line-by-line': { type: 'boolean', description: 'one example per line (truncated to --max-length) instead of grouping the text into full blocks' },
  'mlm-probability': { type: 'string', value: 'X', description: 'share of the tokens chosen for prediction (80 % [MASK], 10 % random, 10 % kept)', default: String(D.mlmProbability) },
  'whole-word-mask': { type: 'boolean', description: 'choose whole words (a token and its ## continuations) together' },
  strict: { type: 'boolean', description: 'invalid UTF-8 in a text file is an error (default: replaced with U+FFFD and reported)' },
};

/** Optimiser flags: the names and meanings of `train`'s, with pre-training defaults. */
export const PRETRAIN_TRAIN_OPTIONS: Record<string, OptionSpec> = {
  epochs: { type: 'string', value: 'N', description: 'passes over the text', default: String(D.epochs) },
  'batch-size': { type: 'string', value: 'N', description: 'examples (blocks or lines) per optimizer step', default: String(D.batchSize) },
  lr: { type: 'string', value: 'X', description: 'peak learning rate', default: String(D.learningRate) },
  'warmup-ratio': { type: 'string', value: 'X', description: 'linear warm-up over this fraction of the steps', default: String(D.warmupRatio) },
  'warmup-steps': { type: 'string', value: 'N', description: 'warm-up steps (overrides --warmup-ratio)' },
  'weight-decay': { type: 'string', value: 'X', description: 'AdamW decoupled weight decay (not on biases and LayerNorm)', default: String(D.weightDecay) },
  'max-grad-norm': { type: 'string', value: 'X', description: 'global gradient-norm clipping (0 = off)', default: String(D.maxGradNorm) },
  'grad-accum': { type: 'string', value: 'N', description: 'split each batch into N micro-batches (less memory)', default: '1' },
  'max-length': { type: 'string', value: 'N', description: 'block length in tokens (with --line-by-line: truncation length)', default: String(D.maxLength) },
  'eval-every': { type: 'string', value: 'N', description: 'evaluate (and checkpoint) every N steps (default: every epoch)' },
  'eval-batch-size': { type: 'string', value: 'N', description: 'batch size for evaluation', default: String(D.evalBatchSize) },
};

/** What a pre-training run is, saved as pretrain_args.json in its checkpoint. */
export interface PretrainRunArgs {
  origin: ModelOrigin;
  /** Absolute paths. */
  text: string[];
  validationText?: string[];
  validationSplit: number;
  dataSeed: number;
  strict: boolean;
  options: PretrainOptions;
  /** The lines' hash (text-files.ts), so a run is never resumed on edited text. */
  dataFingerprint?: string;
}

function floatOption(opts: ParsedOptions, key: string, min: number, max = Infinity, maxOpen = false): number | undefined {
  const raw = opts[key];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (maxOpen && n === max)) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}${maxOpen ? ')' : ']'}`;
    throw new UsageError(`--${key} must be a number ${range}, got "${String(raw)}"`);
  }
  return n;
}

/** --mlm-probability: a share strictly between 0 (nothing to learn) and 1 (no context left). */
function mlmProbabilityOption(opts: ParsedOptions): number {
  const raw = opts['mlm-probability'];
  const n = Number(raw);
  if (!(n > 0 && n < 1)) throw new UsageError(`--mlm-probability must be a number in (0, 1), e.g. 0.15, got "${String(raw)}"`);
  return n;
}

export function pretrainOptionsFrom(opts: ParsedOptions): PretrainOptions {
  const options: PretrainOptions = {
    epochs: intOption(opts, 'epochs')!,
    batchSize: intOption(opts, 'batch-size')!,
    learningRate: floatOption(opts, 'lr', 1e-12)!,
    warmupRatio: floatOption(opts, 'warmup-ratio', 0, 1, true)!,
    warmupSteps: intOption(opts, 'warmup-steps', 0),
    weightDecay: floatOption(opts, 'weight-decay', 0)!,
    maxGradNorm: floatOption(opts, 'max-grad-norm', 0)!,
    gradientAccumulation: intOption(opts, 'grad-accum')!,
    maxLength: maxLengthOption(opts)!,
    seed: intOption(opts, 'seed', 0)!,
    evalEvery: intOption(opts, 'eval-every'),
    evalBatchSize: intOption(opts, 'eval-batch-size')!,
    lineByLine: opts['line-by-line'] === true,
    mlmProbability: mlmProbabilityOption(opts),
    wholeWordMask: opts['whole-word-mask'] === true,
  };
  const problems = validatePretrainOptions(options);
  if (problems.length) throw new UsageError(problems.join('; '));
  return options;
}

/** The run's arguments from the command line; every mistake is a usage error (exit 2) before any work. */
export function pretrainArgsFrom(opts: ParsedOptions): PretrainRunArgs {
  const model = stringOption(opts, 'model');
  const preset = stringOption(opts, 'preset');
  if (!model === !preset) throw new UsageError('pretrain: give one of --model DIR (continue pre-training) or --preset NAME (from random weights) (see maxpoolbert pretrain --help)');
  if (preset && !isBertPreset(preset)) throw new UsageError(`--preset must be one of ${Object.keys(BERT_PRESETS).join(', ')}, got "${preset}"`);
  if (model && stringOption(opts, 'vocab')) throw new UsageError('pretrain: --vocab goes with --preset (a --model folder has its own vocabulary)');
  const text = repeatedOption(opts, 'text');
  if (text.length === 0) throw new UsageError('pretrain: --text FILE is required (UTF-8, one document per line) (see maxpoolbert pretrain --help)');
  const validationText = repeatedOption(opts, 'validation-text');
  if (validationText.length && opts['validation-split'] !== undefined) {
    throw new UsageError('pretrain: --validation-split holds out part of --text; with --validation-text there is nothing to hold out: pass one of them');
  }
  const options = pretrainOptionsFrom(opts);
  const vocab = stringOption(opts, 'vocab');
  return {
    origin: model ? { model: path.resolve(model) } : { preset: preset!, ...(vocab ? { vocab: path.resolve(vocab) } : {}), seed: options.seed },
    text: text.map((f) => path.resolve(f)),
    ...(validationText.length ? { validationText: validationText.map((f) => path.resolve(f)) } : {}),
    validationSplit: validationText.length ? 0 : (floatOption(opts, 'validation-split', 0, 1, true) ?? DEFAULT_VALIDATION_SPLIT),
    dataSeed: intOption(opts, 'data-seed', 0)!,
    strict: opts.strict === true,
    options,
  };
}
