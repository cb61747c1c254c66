import { FsModelSource } from '@maxpoolbert/backend-node';
import { loadBertModel, loadTokenizer, type BertTokenizer, type LoadedBert } from '@maxpoolbert/core';

/** Loads a model folder from disk onto the current backend. */
export async function loadModelFolder(dir: string): Promise<LoadedBert> {
  return loadBertModel(await FsModelSource.open(dir), { trainable: false });
}

/** Loads only a folder's tokenizer (no weights, no backend needed). */
export async function loadTokenizerFolder(dir: string): Promise<BertTokenizer> {
  return loadTokenizer(await FsModelSource.open(dir));
}
