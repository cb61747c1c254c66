import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TinyBertGoldens } from './backend-spec/spec-fixtures';

/**
 * The read-only fixtures and data that CI lays beside the checkout (`../shared`), or wherever
 * MAXPOOLBERT_SHARED points. They come from an independent reference implementation: tests
 * compare against them and never regenerate them.
 */
export const SHARED_DIR = process.env.MAXPOOLBERT_SHARED
  ? path.resolve(process.env.MAXPOOLBERT_SHARED)
  : path.resolve(__dirname, '..', '..', 'shared');

export const FIXTURES_DIR = path.join(SHARED_DIR, 'fixtures');
export const TINY_BERT_DIR = path.join(FIXTURES_DIR, 'tiny-bert');
/** A random BertForMaskedLM (no pooler, `cls.predictions.*` head) with masked-LM goldens. */
export const TINY_BERT_MLM_DIR = path.join(FIXTURES_DIR, 'tiny-bert-mlm');
/** Random RoBERTa (byte-level BPE) and DistilBERT checkpoints with encoder goldens. */
export const TINY_ROBERTA_DIR = path.join(FIXTURES_DIR, 'tiny-roberta');
export const TINY_DISTILBERT_DIR = path.join(FIXTURES_DIR, 'tiny-distilbert');
export const HEADS_FIXTURES_DIR = path.join(FIXTURES_DIR, 'heads');
export const GLUE_DIR = path.join(SHARED_DIR, 'data', 'glue');

if (!fs.existsSync(FIXTURES_DIR)) {
  throw new Error(`shared fixtures not found at ${FIXTURES_DIR}: clone the repo next to shared/ or set MAXPOOLBERT_SHARED`);
}

export type { TinyBertGoldens } from './backend-spec/spec-fixtures';

export function readTinyBertGoldens(): TinyBertGoldens {
  return JSON.parse(fs.readFileSync(path.join(TINY_BERT_DIR, 'goldens.json'), 'utf8')) as TinyBertGoldens;
}

export { maxAbsDiff } from './test-utils';
