import { BertTokenizer, concatChunks, initBertParameters, MemoryModelSource, modelFolderFiles, presetConfig, type BertPreset } from '@maxpoolbert/core';

/** A folder as files → byte chunks (as core's folder writers return it), readable as a ModelSource. */
export function memoryFolder(files: Map<string, Uint8Array[]>, location: string): MemoryModelSource {
  return new MemoryModelSource(new Map([...files].map(([name, chunks]) => [name, concatChunks(chunks)])), location);
}

export const FRESH_MODEL_ORIGIN = 'a fresh tiny BERT (random weights)';
export const FRESH_PRESET: BertPreset = 'tiny';

/**
 * A randomly initialised tiny BERT folder (2 layers × 128 hidden × 2 heads) with the
 * bert-base-uncased vocabulary, made in memory exactly as `maxpoolbert init --preset tiny` makes
 * one on disk.
 */
export function freshTinyBertSource(vocabText: string, seed: number): MemoryModelSource {
  const tokenizer = BertTokenizer.fromVocabText(vocabText, {}, 'vocab.txt');
  const config = presetConfig(FRESH_PRESET, tokenizer.vocabSize);
  const files = modelFolderFiles({
    config,
    tensors: initBertParameters(config, seed),
    vocabText,
    tokenizerConfig: { do_lower_case: true, model_max_length: config.max_position_embeddings, tokenizer_class: 'BertTokenizer' },
  });
  return memoryFolder(files, FRESH_MODEL_ORIGIN);
}

let vocab: Promise<string> | null = null;

/** The bundled bert-base-uncased vocabulary (dist/bert-base-uncased-vocab.txt), fetched once. */
export function bundledVocab(): Promise<string> {
  vocab ??= fetch(new URL('./bert-base-uncased-vocab.txt', document.baseURI)).then((r) => {
    if (!r.ok) throw new Error(`could not fetch the bundled vocabulary: HTTP ${r.status} for ${r.url}`);
    return r.text();
  });
  vocab.catch(() => (vocab = null));
  return vocab;
}
