import { FsModelSource } from '@maxpoolbert/backend-node';
import { loadBertModel, loadClassifier, loadTokenizer, type BertTokenizer, type LoadClassifierOptions, type LoadedBert, type LoadedClassifier } from '@maxpoolbert/core';

/** Loads a model folder from disk onto the current backend. */
export async function loadModelFolder(dir: string): Promise<LoadedBert> {
  return loadBertModel(await FsModelSource.open(dir), { trainable: false });
}

/** Loads only a folder's tokenizer (no weights, no backend needed). */
export async function loadTokenizerFolder(dir: string): Promise<BertTokenizer> {
  return loadTokenizer(await FsModelSource.open(dir));
}

/** Loads a classifier folder (or a pre-trained BERT plus a head, see LoadClassifierOptions). */
export async function loadClassifierFolder(dir: string, opts: LoadClassifierOptions = {}): Promise<LoadedClassifier> {
  return loadClassifier(await FsModelSource.open(dir), opts);
}
