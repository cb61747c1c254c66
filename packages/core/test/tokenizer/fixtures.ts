// Where the read-only shared fixtures live: $MAXPOOLBERT_SHARED, else ../shared beside the repo.
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export const SHARED_DIR = process.env.MAXPOOLBERT_SHARED
  ? path.resolve(process.env.MAXPOOLBERT_SHARED)
  : path.resolve(REPO_ROOT, '..', 'shared');

export const FIXTURES_DIR = path.join(SHARED_DIR, 'fixtures');

/** A fixture file's text; a clear failure (not a skip) when the fixtures are missing. */
export function readFixture(...parts: string[]): string {
  const file = path.join(FIXTURES_DIR, ...parts);
  if (!fs.existsSync(file)) {
    throw new Error(`fixture ${file} not found: put the shared fixtures beside the repo (../shared) or set MAXPOOLBERT_SHARED`);
  }
  return fs.readFileSync(file, 'utf8');
}

export interface GoldenCase {
  text: string;
  text_pair?: string;
  max_length?: number;
  tokens: string[];
  input_ids: number[];
  token_type_ids: number[];
}

export function readGoldens(): GoldenCase[] {
  return readFixture('tokenizer-goldens.jsonl')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as GoldenCase);
}

export const BERT_UNCASED_VOCAB = (): string => readFixture('vocab', 'bert-base-uncased.txt');
