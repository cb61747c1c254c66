import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import {
  BertTokenizer, initBertParameters, isBertPreset, BERT_PRESETS, MemoryModelSource, modelFolderFiles, presetConfig, type ModelSource,
} from '@maxpoolbert/core';
import { BUILTIN_VOCAB } from '../assets.js';
import { UsageError } from '../command.js';

/** Where a pre-training run's starting model comes from: a folder, or a random preset. */
export type ModelOrigin = { model: string } | { preset: string; vocab?: string; seed: number };

/**
 * `--preset NAME [--vocab FILE]`: a randomly initialised BERT of that size (as `init` writes
 * one), held in memory: pre-training from scratch needs no folder on disk first. The same seed
 * gives the same weights; the masked-LM head is then initialised by `loadMaskedLm`.
 */
export async function presetSource(o: { preset: string; vocab?: string; seed: number }): Promise<ModelSource> {
  if (!isBertPreset(o.preset)) throw new UsageError(`--preset must be one of ${Object.keys(BERT_PRESETS).join(', ')}, got "${o.preset}"`);
  const vocabFile = o.vocab ?? BUILTIN_VOCAB;
  const vocabText = await fsp.readFile(vocabFile, 'utf8').catch(() => {
    throw new UsageError(`${path.resolve(vocabFile)}: vocabulary file not found (pass --vocab with a WordPiece vocab.txt)`);
  });
  const tokenizer = BertTokenizer.fromVocabText(vocabText, {}, vocabFile); // checks the special tokens
  const config = presetConfig(o.preset, tokenizer.vocabSize);
  const files = modelFolderFiles({
    config, tensors: initBertParameters(config, o.seed), vocabText,
    tokenizerConfig: { do_lower_case: true, model_max_length: config.max_position_embeddings, tokenizer_class: 'BertTokenizer' },
  });
  const joined = new Map<string, Uint8Array>();
  for (const [name, chunks] of files) joined.set(name, Buffer.concat(chunks));
  return new MemoryModelSource(joined, `--preset ${o.preset}`);
}
