/**
 * BPE merge lists: parsed from `merges.txt` (one "left right" pair per line, after an optional
 * "#version" header) or from a `tokenizer.json` `model.merges` list, then ranked (line order =
 * priority) and checked against the vocabulary, as the `tokenizers` library does on load.
 */
import { inputError, quoteInput } from '../../errors.js';
import type { Vocab } from '../vocab.js';

/** One merge, with where it came from for error messages. */
export interface BpeMerge {
  left: string;
  right: string;
  /** "line 12" or "model.merges[10]". */
  where: string;
}

const MERGES_FIX = 'use the merges.txt that came with the model: a "#version" line, then one merge per line, two tokens separated by one space';

/** Parses a `merges.txt`. Like `tokenizers`, a first line starting with "#version" is skipped. */
export function parseMergesText(text: string, file = 'merges.txt'): BpeMerge[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const merges: BpeMerge[] = [];
  lines.forEach((line, i) => {
    if (i === 0 && line.startsWith('#version')) return;
    const where = `line ${i + 1}`;
    const parts = line.split(' ');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      throw inputError(`expected two tokens separated by one space, got ${quoteInput(line)}`, { file, field: where, fix: MERGES_FIX });
    }
    merges.push({ left: parts[0]!, right: parts[1]!, where });
  });
  return merges;
}

/**
 * Reads `model.merges` of a `tokenizer.json`: "left right" strings (tokenizers < 0.20) or
 * ["left", "right"] pairs (newer files).
 */
export function mergesFromJson(value: unknown, file = 'tokenizer.json', field = 'model.merges'): BpeMerge[] {
  if (!Array.isArray(value)) throw inputError('must be a list of merges', { file, field, fix: 'use the tokenizer.json that came with the model' });
  return value.map((entry: unknown, i): BpeMerge => {
    const where = `${field}[${i}]`;
    const parts = typeof entry === 'string' ? entry.split(' ') : entry;
    if (!Array.isArray(parts) || parts.length !== 2 || typeof parts[0] !== 'string' || typeof parts[1] !== 'string' || !parts[0] || !parts[1]) {
      throw inputError(`must be "left right" or ["left", "right"], got ${quoteInput(JSON.stringify(entry) ?? String(entry))}`, {
        file,
        field: where,
        fix: 'use the tokenizer.json that came with the model',
      });
    }
    return { left: parts[0], right: parts[1], where };
  });
}

/** Separator of the two halves in a rank key: byte-level symbols never contain a space. */
export const PAIR_SEPARATOR = ' ';

/**
 * Rank of each pair ("left right" -> position in the list). Every merge's two parts and its
 * result must be in the vocabulary, or the merge could produce a token with no id. A pair listed
 * twice keeps its last rank, as Python's dict(zip(merges, range(...))) does.
 */
export function rankMerges(merges: readonly BpeMerge[], vocab: Vocab, file: string, vocabFile: string): Map<string, number> {
  const ranks = new Map<string, number>();
  merges.forEach((m, rank) => {
    for (const token of [m.left, m.right, m.left + m.right]) {
      if (!vocab.tokenToId.has(token)) {
        throw inputError(`merge ${quoteInput(`${m.left} ${m.right}`)} uses ${quoteInput(token)}, which is not in the vocabulary ${vocabFile}`, {
          file,
          field: m.where,
          fix: 'the merges and the vocabulary must come from the same tokenizer; copy both from the model repository',
        });
      }
    }
    ranks.set(m.left + PAIR_SEPARATOR + m.right, rank);
  });
  return ranks;
}
