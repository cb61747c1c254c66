import { FsModelSource } from '@maxpoolbert/backend-node';
import {
  inputError, loadBertModel, loadClassifier, loadTokenizer, readBertConfig, type LoadClassifierOptions, type LoadedBert, type LoadedClassifier, type Tokenizer,
} from '@maxpoolbert/core';

/** Loads a model folder from disk onto the current backend. */
export async function loadModelFolder(dir: string): Promise<LoadedBert> {
  return loadBertModel(await FsModelSource.open(dir), { trainable: false });
}

/** Loads only a folder's tokenizer (no weights, no backend needed). */
export async function loadTokenizerFolder(dir: string): Promise<Tokenizer> {
  return loadTokenizer(await FsModelSource.open(dir));
}

/** Loads a classifier folder (or a pre-trained BERT plus a head, see LoadClassifierOptions). */
export async function loadClassifierFolder(dir: string, opts: LoadClassifierOptions = {}): Promise<LoadedClassifier> {
  return loadClassifier(await FsModelSource.open(dir), opts);
}

/**
 * Loads a fine-tuned classifier folder for a command that only uses one (eval, predict). A
 * pre-trained BERT without a head gets advice these commands can follow: they take no --head,
 * so the fix is to fine-tune first and pass the result.
 */
export async function loadFineTunedFolder(dir: string, command: string): Promise<LoadedClassifier> {
  const source = await FsModelSource.open(dir);
  const config = await readBertConfig(source);
  if (config.extra.maxpoolbert_head === undefined) {
    throw inputError(`not a fine-tuned classifier (no maxpoolbert_head): ${command} needs one`, {
      file: source.pathOf('config.json'),
      fix: `fine-tune this BERT first, e.g. maxpoolbert train --model ${dir} --head max-seq-mha … --out OUT, then pass --model OUT/best`,
    });
  }
  return loadClassifier(source, {});
}
