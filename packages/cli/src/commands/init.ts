import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFolderAtomic } from '@maxpoolbert/backend-node';
import { BERT_PRESETS, BertTokenizer, initBertParameters, isBertPreset, modelFolderFiles, presetConfig, type BertPreset } from '@maxpoolbert/core';
import { BUILTIN_VOCAB } from '../assets.js';
import { intOption, stringOption, UsageError, type Command } from '../command.js';

export interface InitOptions {
  out: string;
  preset: BertPreset;
  vocabFile?: string;
  seed: number;
  /** Override the preset's number of layers (the demo needs k = 3 layers to pool). */
  layers?: number;
}

/** Writes a randomly initialised BERT folder in Hugging Face format; returns its parameter count. */
export async function initModelFolder(o: InitOptions): Promise<{ parameters: number; vocabSize: number }> {
  const vocabFile = o.vocabFile ?? BUILTIN_VOCAB;
  const vocabText = await fsp.readFile(vocabFile, 'utf8').catch(() => {
    throw new UsageError(`${path.resolve(vocabFile)}: vocabulary file not found (pass --vocab with a WordPiece vocab.txt)`);
  });
  // Parsing it checks the special tokens are there before anything is written.
  const tokenizer = BertTokenizer.fromVocabText(vocabText, {}, vocabFile);
  const config = { ...presetConfig(o.preset, tokenizer.vocabSize), ...(o.layers ? { num_hidden_layers: o.layers } : {}) };
  const tensors = initBertParameters(config, o.seed);
  const files = modelFolderFiles({
    config,
    tensors,
    vocabText,
    tokenizerConfig: { do_lower_case: true, model_max_length: config.max_position_embeddings, tokenizer_class: 'BertTokenizer' },
  });
  await writeFolderAtomic(o.out, files);
  let parameters = 0;
  for (const t of tensors.values()) parameters += t.data.length;
  return { parameters, vocabSize: tokenizer.vocabSize };
}

export const initCommand: Command = {
  name: 'init',
  summary: 'Write a randomly initialised BERT model folder (Hugging Face format), for tests and benchmarks.',
  options: {
    out: { type: 'string', value: 'DIR', description: 'folder to create (replaced atomically if it exists)', required: true },
    preset: { type: 'string', value: 'NAME', description: `model size: ${Object.keys(BERT_PRESETS).join('|')}`, default: 'tiny' },
    vocab: { type: 'string', value: 'FILE', description: 'WordPiece vocab.txt (default: built-in bert-base-uncased)' },
    seed: { type: 'string', value: 'N', description: 'random seed', default: '0' },
  },
  details: 'Presets: tiny 2×128×2, mini 4×256×4, small 4×512×8, medium 8×512×8, base 12×768×12, large 24×1024×16 (layers × hidden × heads).',
  async run(opts, _pos, io) {
    const preset = stringOption(opts, 'preset')!;
    if (!isBertPreset(preset)) throw new UsageError(`--preset must be one of ${Object.keys(BERT_PRESETS).join(', ')}, got "${preset}"`);
    const out = stringOption(opts, 'out')!;
    const result = await initModelFolder({ out, preset, vocabFile: stringOption(opts, 'vocab'), seed: intOption(opts, 'seed', 0)! });
    io.stdout(`wrote ${path.resolve(out)}: ${preset} BERT, ${(result.parameters / 1e6).toFixed(1)}M parameters, vocabulary ${result.vocabSize} (random weights)\n`);
  },
};
