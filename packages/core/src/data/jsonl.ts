import { inputError } from '../errors.js';

/** One JSONL record and the 1-based line it is on. */
export interface JsonlRow {
  line: number;
  value: Record<string, unknown>;
}

export interface JsonlOptions {
  /**
   * Called for a line that is not a JSON object, instead of throwing; the line is then left out.
   * Without it such a line is an error naming the file and line.
   */
  onBadLine?: (line: number, reason: string) => void;
}

/**
 * Parses JSON Lines text: one JSON object per line. A leading BOM is dropped, `\r\n` is accepted
 * and blank (whitespace-only) lines are skipped.
 */
export function parseJsonl(text: string, file: string, options: JsonlOptions = {}): JsonlRow[] {
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const rows: JsonlRow[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    const line = i + 1;
    let reason: string | null = null;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      reason = `not valid JSON (${(e as Error).message})`;
    }
    if (reason === null && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      reason = `expected a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`;
    }
    if (reason !== null) {
      if (options.onBadLine) {
        options.onBadLine(line, reason);
        continue;
      }
      throw inputError(reason, {
        file,
        field: `line ${line}`,
        fix: 'write one JSON object per line, e.g. {"text": "...", "label": "..."}',
      });
    }
    rows.push({ line, value: value as Record<string, unknown> });
  }
  return rows;
}
