/**
 * WordPiece vocabularies: parsed from `vocab.txt` (one token per line, id = line index) or from
 * the `model.vocab` object of a `tokenizer.json`.
 */
import { inputError } from '../errors.js';

export interface Vocab {
  /** Token string to id. For a token listed twice, the later id wins (as in HF's dict). */
  readonly tokenToId: ReadonlyMap<string, number>;
  /** Id to token; holes (ids no token maps to) are undefined. */
  readonly idToToken: readonly (string | undefined)[];
  /** Number of ids: highest id + 1 (the number of rows the embedding matrix needs). */
  readonly size: number;
}

/**
 * Parses a `vocab.txt`. Lines are kept exactly (spaces included) except for the line break.
 * Like Python's text-mode `readlines()`, "\r\n", "\r" and "\n" all end a line, and a final line
 * break does not start another (empty) token; an empty line inside the file is a token "".
 */
export function parseVocabText(text: string, file = 'vocab.txt'): Vocab {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) {
    throw inputError('the vocabulary is empty', {
      file,
      fix: 'use the vocab.txt that came with the model: one WordPiece token per line, line number = token id',
    });
  }
  const tokenToId = new Map<string, number>();
  lines.forEach((token, id) => tokenToId.set(token, id));
  return { tokenToId, idToToken: idTable(tokenToId, lines.length), size: lines.length };
}

/** Larger ids than any real vocabulary uses (2^24 = 16.7M). */
const MAX_ID = 1 << 24;

/**
 * Builds a vocabulary from a `tokenizer.json` `model.vocab` object ({ token: id }). Ids must be
 * non-negative integers; they need not be dense.
 */
export function vocabFromObject(vocab: unknown, file = 'tokenizer.json', field = 'model.vocab'): Vocab {
  if (typeof vocab !== 'object' || vocab === null || Array.isArray(vocab)) {
    throw inputError('must be an object mapping each token to its id', { file, field });
  }
  const tokenToId = new Map<string, number>();
  let size = 0;
  for (const [token, id] of Object.entries(vocab as Record<string, unknown>)) {
    // The upper bound keeps a damaged file from making us allocate a gigantic id table.
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= MAX_ID) {
      throw inputError(`token ${JSON.stringify(token)} has id ${JSON.stringify(id)}; ids must be integers from 0 to ${MAX_ID - 1}`, {
        file,
        field,
        fix: 'the file is damaged; use the one that came with the model, or re-export it with Hugging Face tokenizers',
      });
    }
    tokenToId.set(token, id);
    if (id + 1 > size) size = id + 1;
  }
  if (tokenToId.size === 0) {
    throw inputError('the vocabulary is empty', { file, field, fix: 'use the tokenizer.json that came with the model' });
  }
  return { tokenToId, idToToken: idTable(tokenToId, size), size };
}

/**
 * The reverse table. It is built from the final token->id map, so a duplicated token decodes
 * only at its winning id, like HF's `ids_to_tokens` (other ids decode as the unknown token).
 */
function idTable(tokenToId: ReadonlyMap<string, number>, size: number): (string | undefined)[] {
  const table = new Array<string | undefined>(size).fill(undefined);
  for (const [token, id] of tokenToId) table[id] = token;
  return table;
}
