import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { decodeUtf8, describeInvalidUtf8, inputError, textLines, type TextLine } from '@maxpoolbert/core';

export interface TextCorpus {
  /** Every non-blank line of the files, in order (file after file). */
  lines: TextLine[];
  /** "notes.txt" or "3 files (a.txt, b.txt, c.txt)", for messages. */
  description: string;
  /** A short hash of the lines, so a run is never resumed on edited text. */
  fingerprint: string;
}

/**
 * Reads `--text` (or `--validation-text`) files: UTF-8, one document per line, blank lines
 * skipped. Invalid UTF-8 is replaced with U+FFFD and reported in `notes` (with `strict`, an
 * error naming the file and line), as for every other data file.
 */
export async function readTextFiles(files: readonly string[], o: { strict: boolean; notes: string[]; flag: string }): Promise<TextCorpus> {
  const lines: TextLine[] = [];
  const hash = createHash('sha256');
  for (const file of files) {
    const resolved = path.resolve(file);
    const stat = await fsp.stat(resolved).catch(() => null);
    if (!stat?.isFile()) throw inputError(`${o.flag} file not found`, { file: resolved, fix: 'pass a UTF-8 text file, one document per line' });
    const { text, invalid } = decodeUtf8(await fsp.readFile(resolved), { file: resolved, strict: o.strict });
    if (invalid) o.notes.push(`${describeInvalidUtf8(resolved, invalid)} (--strict makes this an error)`);
    const own = textLines(text);
    if (own.length === 0) throw inputError('no text (every line is blank)', { file: resolved, fix: `pass a file with one document per line to ${o.flag}` });
    hash.update(`\u0000${own.length}`);
    for (const l of own) {
      hash.update(`\u0000${l.text}`);
      lines.push(l);
    }
  }
  const names = files.map((f) => path.basename(f));
  const description = files.length === 1 ? path.resolve(files[0]!) : `${files.length} files (${names.join(', ')})`;
  return { lines, description, fingerprint: hash.digest('hex').slice(0, 16) };
}
