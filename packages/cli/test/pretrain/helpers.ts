/** Shared pieces of the pretrain CLI tests: SST-2 sentences as a text file, a small vocabulary. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GLUE_DIR } from '../training/helpers';

/** The first `n` sentences of SST-2's train.tsv after `skip` (read from the shared data, never copied into the repo). */
export function sst2Sentences(n: number, skip = 0): string[] {
  const lines = fs.readFileSync(path.join(GLUE_DIR, 'SST-2', 'train.tsv'), 'utf8').split('\n').slice(1 + skip);
  return lines.map((l) => l.split('\t')[0]!.trim()).filter(Boolean).slice(0, n);
}

/** Writes sentences to a text file, one per line. */
export function writeText(file: string, sentences: string[]): string {
  fs.writeFileSync(file, sentences.join('\n') + '\n');
  return file;
}

/**
 * A WordPiece vocabulary of SST-2's `size` most frequent words plus the special tokens and a few
 * `##` pieces (a BERT with it is 5× smaller than with bert-base's 30522 words, so tests run fast).
 */
export function writeSmallVocab(file: string, size = 1500): string {
  const counts = new Map<string, number>();
  for (const s of sst2Sentences(20000)) for (const w of s.toLowerCase().split(/\s+/)) if (w) counts.set(w, (counts.get(w) ?? 0) + 1);
  const words = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, size).map(([w]) => w);
  fs.writeFileSync(file, ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...words, '##s', '##ed', '##ing', '##ly', '##er'].join('\n') + '\n');
  return file;
}

export function safetensorsKeys(file: string): string[] {
  const bytes = fs.readFileSync(file);
  const n = Number(bytes.readBigUInt64LE(0));
  return Object.keys(JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as object).filter((k) => k !== '__metadata__').sort();
}
