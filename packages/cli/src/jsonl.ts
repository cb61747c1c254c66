import { createReadStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import {
  findInvalidUtf8, inputError, invalidUtf8Error, mergeInvalidUtf8, MIN_PAIR_MAX_LENGTH, smallestMaxLength, type InvalidUtf8,
} from '@maxpoolbert/core';
import { AtomicFileWriter } from '@maxpoolbert/backend-node';

export interface JsonlRow {
  line: number;
  value: Record<string, unknown>;
}

export interface ReadJsonlOptions {
  /** Invalid UTF-8 is an error naming the line, instead of being replaced with U+FFFD. */
  strict?: boolean;
  /** Called once at the end when invalid UTF-8 was replaced, with where and how much. */
  onInvalidUtf8?: (invalid: InvalidUtf8) => void;
}

/**
 * The lines of a file as bytes, without their line break (`\n`, `\r\n` or a lone `\r`, as
 * core's readers count lines). Bytes, not text: a line's invalid UTF-8 can then be counted.
 */
async function* byteLines(file: string): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let afterCr = false; // the previous chunk ended in \r: a \n starting this one belongs to it
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    let start = 0;
    if (afterCr && chunk[0] === 0x0a) start = 1;
    afterCr = false;
    for (let i = start; i < chunk.length; i++) {
      const b = chunk[i];
      if (b !== 0x0a && b !== 0x0d) continue;
      parts.push(chunk.subarray(start, i));
      yield Buffer.concat(parts);
      parts = [];
      if (b === 0x0d) {
        if (i + 1 < chunk.length) {
          if (chunk[i + 1] === 0x0a) i++;
        } else afterCr = true;
      }
      start = i + 1;
    }
    if (start < chunk.length) parts.push(chunk.subarray(start));
  }
  if (parts.length) yield Buffer.concat(parts);
}

/**
 * Streams a JSONL file; blank lines are skipped, a malformed line is an error naming its number.
 * A UTF-8 BOM is dropped. Invalid UTF-8 is replaced with U+FFFD and reported once through
 * `onInvalidUtf8` (with `strict`, an error at its line).
 */
export async function* readJsonl(file: string, options: ReadJsonlOptions = {}): AsyncGenerator<JsonlRow> {
  const stat = await fsp.stat(file).catch(() => null);
  if (!stat?.isFile()) throw inputError('input file not found', { file: path.resolve(file), fix: 'pass --input with a JSONL file' });
  // Keeps a BOM (only line 1's is one), so a U+FEFF that starts a later line is not lost.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let invalid: InvalidUtf8 | null = null;
  let line = 0;
  for await (const bytes of byteLines(file)) {
    line++;
    const bad = findInvalidUtf8(bytes, line);
    if (bad) {
      if (options.strict) throw invalidUtf8Error(file, bad);
      invalid = mergeInvalidUtf8(invalid, bad);
    }
    let text = decoder.decode(bytes);
    if (line === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
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
  if (invalid) options.onInvalidUtf8?.(invalid);
}

/** A text row's fields, checked. */
export interface TextRow {
  line: number;
  text: string;
  textPair?: string;
  maxLength?: number;
}

export interface TextRowOptions {
  /** An empty or blank "text" / "text_pair" is an error (predict: as in training data). */
  requireText?: boolean;
  /** The command's --max-length, to check that a pair row can hold a token of both texts. */
  maxLength?: number;
}

export function textRow(row: JsonlRow, file: string, options: TextRowOptions = {}): TextRow {
  const { text, text_pair: textPair, max_length: maxLength } = row.value;
  const where = { file, field: `line ${row.line}` };
  if (typeof text !== 'string') throw inputError('"text" must be a string', { ...where, fix: 'e.g. {"text": "a sentence"}' });
  if (textPair !== undefined && textPair !== null && typeof textPair !== 'string') throw inputError('"text_pair" must be a string', where);
  const pair = typeof textPair === 'string';
  if (options.requireText) {
    for (const [key, value] of [['text', text], ['text_pair', textPair]] as const) {
      if (typeof value === 'string' && value.trim() === '') {
        throw inputError(`empty "${key}"`, { ...where, fix: 'give the line a text, or remove it (training refuses empty texts too)' });
      }
    }
  }
  if (maxLength !== undefined && maxLength !== null) {
    const need = smallestMaxLength(pair);
    if (!(Number.isInteger(maxLength) && (maxLength as number) >= need)) {
      const what = pair ? 'a token of both texts of the pair ([CLS] A [SEP] B [SEP] takes 3)' : 'any token of the text ([CLS] and [SEP] take 2)';
      throw inputError(
        Number.isInteger(maxLength) ? `"max_length" ${String(maxLength)} cannot hold ${what}` : `"max_length" must be an integer, got ${JSON.stringify(maxLength)}`,
        { ...where, fix: `the smallest usable value is ${need}` },
      );
    }
  }
  if (pair && options.maxLength !== undefined && options.maxLength < MIN_PAIR_MAX_LENGTH) {
    throw inputError(`--max-length ${options.maxLength} cannot hold a token of both texts of this line's pair ([CLS] A [SEP] B [SEP] takes 3)`, {
      ...where,
      fix: `the smallest usable value for pairs is ${MIN_PAIR_MAX_LENGTH}`,
    });
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
  options: ReadJsonlOptions & TextRowOptions = {},
): Promise<void> {
  await writeJsonl(output, async (emit) => {
    let pending: TextRow[] = [];
    const flush = async () => {
      for (const r of await mapBatch(pending)) await emit(r);
      pending = [];
    };
    for await (const raw of readJsonl(input, options)) {
      pending.push(textRow(raw, input, options));
      if (pending.length === batchSize) await flush();
    }
    if (pending.length) await flush();
  });
}
