import { createReadStream, promises as fsp } from 'node:fs';
import { createInterface } from 'node:readline';
import * as path from 'node:path';
import { inputError } from '@maxpoolbert/core';
import { AtomicFileWriter } from '@maxpoolbert/backend-node';
import { UsageError } from './command.js';

export interface JsonlRow {
  line: number;
  value: Record<string, unknown>;
}

/** Streams a JSONL file; blank lines are skipped, a malformed line is an error naming its number. */
export async function* readJsonl(file: string): AsyncGenerator<JsonlRow> {
  const stat = await fsp.stat(file).catch(() => null);
  if (!stat?.isFile()) throw inputError('input file not found', { file: path.resolve(file), fix: 'pass --input with a JSONL file' });
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (!text.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw inputError(`not valid JSON (${(err as Error).message})`, { file, field: `line ${line}`, fix: 'each line must be one JSON object' });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw inputError('must be a JSON object', { file, field: `line ${line}`, fix: 'e.g. {"text": "..."}' });
    }
    yield { line, value: value as Record<string, unknown> };
  }
}

/** A text row's fields, checked. */
export interface TextRow {
  line: number;
  text: string;
  textPair?: string;
  maxLength?: number;
}

export function textRow(row: JsonlRow, file: string): TextRow {
  const { text, text_pair: textPair, max_length: maxLength } = row.value;
  const where = { file, field: `line ${row.line}` };
  if (typeof text !== 'string') throw inputError('"text" must be a string', { ...where, fix: 'e.g. {"text": "a sentence"}' });
  if (textPair !== undefined && textPair !== null && typeof textPair !== 'string') throw inputError('"text_pair" must be a string', where);
  if (maxLength !== undefined && maxLength !== null && !(Number.isInteger(maxLength) && (maxLength as number) >= 2)) {
    throw inputError('"max_length" must be an integer >= 2', where);
  }
  return {
    line: row.line,
    text,
    textPair: typeof textPair === 'string' ? textPair : undefined,
    maxLength: typeof maxLength === 'number' ? maxLength : undefined,
  };
}

/**
 * JSONL output that appears only when complete: rows go to a temporary file that is renamed
 * over `file` at the end, so a failed run never leaves half an output.
 */
export async function writeJsonl<T>(file: string, produce: (emit: (row: unknown) => Promise<void>) => Promise<T>): Promise<T> {
  const writer = await AtomicFileWriter.open(file);
  try {
    const result = await produce((row) => writer.write(JSON.stringify(row) + '\n'));
    await writer.commit();
    return result;
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

/**
 * Reads text rows from `input` in batches of `batchSize`, maps each batch to output rows (one per
 * input row, same order) and writes them to `output` atomically.
 */
export async function mapJsonlInBatches(
  input: string,
  output: string,
  batchSize: number,
  mapBatch: (rows: TextRow[]) => Promise<unknown[]>,
): Promise<void> {
  await writeJsonl(output, async (emit) => {
    let pending: TextRow[] = [];
    const flush = async () => {
      for (const r of await mapBatch(pending)) await emit(r);
      pending = [];
    };
    for await (const raw of readJsonl(input)) {
      pending.push(textRow(raw, input));
      if (pending.length === batchSize) await flush();
    }
    if (pending.length) await flush();
  });
}

/** The max length a command uses: --max-length, capped by (and defaulting to) the model's positions. */
export function maxLengthFor(requested: number | undefined, maxPositions: number): number {
  const maxLength = requested ?? maxPositions;
  if (maxLength > maxPositions) throw new UsageError(`--max-length ${maxLength} is larger than the model's max_position_embeddings (${maxPositions})`);
  return maxLength;
}
