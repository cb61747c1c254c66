/**
 * One error type for every bad input the toolkit detects. The message always says which file
 * (or input) and which field is wrong, and how to fix it, so the CLI can print it as one line.
 */
export class MaxPoolBertError extends Error {
  override readonly name = 'MaxPoolBertError';
  /** The file, URL or input the problem is in, when there is one. */
  readonly file?: string;
  /** The field, key, tensor or line the problem is at, when there is one. */
  readonly field?: string;

  constructor(message: string, where: { file?: string; field?: string } = {}) {
    super(message);
    this.file = where.file;
    this.field = where.field;
  }
}

/** Builds "<file>: <field>: <problem>" messages consistently. */
export function inputError(problem: string, where: { file?: string; field?: string; fix?: string } = {}): MaxPoolBertError {
  const parts = [where.file, where.field].filter((p): p is string => !!p);
  const fix = where.fix ? ` (${where.fix})` : '';
  return new MaxPoolBertError(`${parts.length ? parts.join(': ') + ': ' : ''}${problem}${fix}`, where);
}

/** The longest input text an error message quotes, in characters (a message stays one readable line). */
export const QUOTE_LIMIT = 80;

/**
 * Input text (a header line, a cell, a flag's value) quoted for an error message: JSON-escaped,
 * so tabs and newlines cannot break the message's single line, and cut to `max` characters
 * with "…" (and the full length), so a 1 MB line does not make a 1 MB message.
 */
export function quoteInput(text: string, max = QUOTE_LIMIT): string {
  const chars = [...text];
  if (chars.length <= max) return JSON.stringify(text);
  return `${JSON.stringify(chars.slice(0, Math.max(1, max - 1)).join('') + '…')} (${chars.length} characters)`;
}
