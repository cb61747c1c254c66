import * as path from 'node:path';
import { FsModelSource } from '@maxpoolbert/backend-node';
import { HEADS_FIXTURES_DIR, TINY_BERT_DIR, TINY_BERT_MLM_DIR, TINY_DISTILBERT_DIR, TINY_ROBERTA_DIR } from '../shared-fixtures';
import { HEADS_FIXTURE_NAMES, type SpecFixtures } from './spec-fixtures';

/** The shared fixtures, read from disk. */
export async function nodeSpecFixtures(): Promise<SpecFixtures> {
  return {
    tinyBert: await FsModelSource.open(TINY_BERT_DIR),
    tinyBertMlm: await FsModelSource.open(TINY_BERT_MLM_DIR),
    tinyRoberta: await FsModelSource.open(TINY_ROBERTA_DIR),
    tinyDistilbert: await FsModelSource.open(TINY_DISTILBERT_DIR),
    heads: await Promise.all(HEADS_FIXTURE_NAMES.map(async (name) => ({ name, source: await FsModelSource.open(path.join(HEADS_FIXTURES_DIR, name)) }))),
  };
}
