import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFolderAtomic } from '@maxpoolbert/backend-node';
import {
  BERT_PRESETS, BertTokenizer, ByteLevelBpeTokenizer, ENCODER_ARCHS, initEncoderParameters, isBertPreset, isEncoderArch, modelFolderFiles,
  presetConfig, serializeBertConfig, toCheckpointKeys, encodeSafetensors, type BertPreset, type EncoderArch,
} from '@maxpoolbert/core';
import { BUILTIN_VOCAB } from '../assets.js';
import { intOption, stringOption, UsageError, type Command } from '../command.js';

export interface InitOptions {
  out: string;
  preset: BertPreset;
  vocabFile?: string;
  seed: number;
  /** Override the preset's number of layers (the demo needs k = 3 layers to pool). */
  layers?: number;
  /** The encoder family (default bert). */
  arch?: EncoderArch;
  /** RoBERTa: the byte-level BPE merges.txt beside `vocabFile` (a vocab.json). */
  mergesFile?: string;
}

const encoder = new TextEncoder();
const readOrFail = (file: string, what: string) =>
  fsp.readFile(file, 'utf8').catch(() => {
    throw new UsageError(`${path.resolve(file)}: ${what} not found`);
  });

/**
 * A random RoBERTa folder: config.json, model.safetensors (RobertaModel's names) and the
 * byte-level BPE files, which have no built-in default (pass roberta-base's vocab.json and
 * merges.txt).
 */
async function initRobertaFolder(o: InitOptions): Promise<{ parameters: number; vocabSize: number }> {
  if (!o.vocabFile || !o.mergesFile) {
    throw new UsageError('init --arch roberta needs --vocab VOCAB.JSON and --merges MERGES.TXT (byte-level BPE, e.g. roberta-base\'s)');
  }
  const [vocabJson, mergesText] = [await readOrFail(o.vocabFile, 'vocab.json'), await readOrFail(o.mergesFile, 'merges.txt')];
  const tokenizerConfig = { tokenizer_class: 'RobertaTokenizer', add_prefix_space: false, bos_token: '<s>', eos_token: '</s>', sep_token: '</s>', cls_token: '<s>', unk_token: '<unk>', pad_token: '<pad>', mask_token: '<mask>' };
  // Parsing them checks both files (and the special tokens) before anything is written.
  const tokenizer = ByteLevelBpeTokenizer.fromVocabAndMerges(vocabJson, mergesText, tokenizerConfig, { vocab: o.vocabFile, merges: o.mergesFile });
  const config = { ...presetConfig(o.preset, tokenizer.vocabSize, 'roberta'), ...(o.layers ? { num_hidden_layers: o.layers } : {}) };
  config.pad_token_id = tokenizer.padId;
  const tensors = initEncoderParameters(config, o.seed);
  const files = new Map<string, Uint8Array[]>([
    ['config.json', [encoder.encode(JSON.stringify(serializeBertConfig(config), null, 2) + '\n')]],
    ['model.safetensors', encodeSafetensors(toCheckpointKeys(config, tensors, { prefixed: false }), { format: 'pt' })],
    ['vocab.json', [encoder.encode(vocabJson)]],
    ['merges.txt', [encoder.encode(mergesText)]],
    ['tokenizer_config.json', [encoder.encode(JSON.stringify({ ...tokenizerConfig, model_max_length: config.max_position_embeddings - config.pad_token_id - 1 }, null, 2) + '\n')]],
  ]);
  await writeFolderAtomic(o.out, files);
  let parameters = 0;
  for (const t of tensors.values()) parameters += t.data.length;
  return { parameters, vocabSize: tokenizer.vocabSize };
}

/** Writes a randomly initialised BERT (or DistilBERT, RoBERTa) folder in Hugging Face format; returns its parameter count. */
export async function initModelFolder(o: InitOptions): Promise<{ parameters: number; vocabSize: number }> {
  const arch = o.arch ?? 'bert';
  if (arch === 'roberta') return initRobertaFolder(o);
  if (o.mergesFile) throw new UsageError(`--merges is for --arch roberta (byte-level BPE); ${arch} uses a WordPiece vocab.txt`);
  const vocabFile = o.vocabFile ?? BUILTIN_VOCAB;
  const vocabText = await fsp.readFile(vocabFile, 'utf8').catch(() => {
    throw new UsageError(`${path.resolve(vocabFile)}: vocabulary file not found (pass --vocab with a WordPiece vocab.txt)`);
  });
  // Parsing it checks the special tokens are there before anything is written.
  const tokenizer = BertTokenizer.fromVocabText(vocabText, {}, vocabFile);
  const config = { ...presetConfig(o.preset, tokenizer.vocabSize, arch), ...(o.layers ? { num_hidden_layers: o.layers } : {}) };
  const tensors = initEncoderParameters(config, o.seed);
  const files = modelFolderFiles({
    config,
    // Bare names, as BertModel / DistilBertModel.save_pretrained write them.
    tensors: toCheckpointKeys(config, tensors, { prefixed: false }),
    vocabText,
    tokenizerConfig: { do_lower_case: true, model_max_length: config.max_position_embeddings, tokenizer_class: arch === 'distilbert' ? 'DistilBertTokenizer' : 'BertTokenizer' },
  });
  await writeFolderAtomic(o.out, files);
  let parameters = 0;
  for (const t of tensors.values()) parameters += t.data.length;
  return { parameters, vocabSize: tokenizer.vocabSize };
}

export const initCommand: Command = {
  name: 'init',
  summary: 'Write a randomly initialised BERT, RoBERTa or DistilBERT model folder (Hugging Face format), for tests and benchmarks.',
  options: {
    out: { type: 'string', value: 'DIR', description: 'folder to create (replaced atomically if it exists)', required: true },
    preset: { type: 'string', value: 'NAME', description: `model size: ${Object.keys(BERT_PRESETS).join('|')}`, default: 'tiny' },
    arch: { type: 'string', value: 'NAME', description: `encoder family: ${ENCODER_ARCHS.join('|')}`, default: 'bert' },
    vocab: { type: 'string', value: 'FILE', description: 'WordPiece vocab.txt (default: built-in bert-base-uncased); for --arch roberta a byte-level BPE vocab.json (required)' },
    merges: { type: 'string', value: 'FILE', description: 'for --arch roberta: the merges.txt that goes with --vocab (required)' },
    seed: { type: 'string', value: 'N', description: 'random seed', default: '0' },
  },
  details: 'Presets: tiny 2×128×2, mini 4×256×4, small 4×512×8, medium 8×512×8, base 12×768×12, large 24×1024×16 (layers × hidden × heads).',
  async run(opts, _pos, io) {
    const preset = stringOption(opts, 'preset')!;
    if (!isBertPreset(preset)) throw new UsageError(`--preset must be one of ${Object.keys(BERT_PRESETS).join(', ')}, got "${preset}"`);
    const arch = stringOption(opts, 'arch')!;
    if (!isEncoderArch(arch)) throw new UsageError(`--arch must be one of ${ENCODER_ARCHS.join(', ')}, got "${arch}"`);
    const out = stringOption(opts, 'out')!;
    const result = await initModelFolder({ out, preset, arch, vocabFile: stringOption(opts, 'vocab'), mergesFile: stringOption(opts, 'merges'), seed: intOption(opts, 'seed', 0)! });
    const name = { bert: 'BERT', roberta: 'RoBERTa', distilbert: 'DistilBERT' }[arch];
    io.stdout(`wrote ${path.resolve(out)}: ${preset} ${name}, ${(result.parameters / 1e6).toFixed(1)}M parameters, vocabulary ${result.vocabSize} (random weights)\n`);
  },
};
