import { inputError } from '../errors.js';

/** How to split delimited text into rows and fields. */
export interface DelimitedOptions {
  /** Field separator, one character. Default: tab when `quoting` is false, comma otherwise. */
  delimiter?: string;
  /**
   * RFC 4180 quoting: a field that starts with `"` runs to the matching `"`, may hold delimiters
   * and line breaks, and `""` inside it is one quote. When false (Python's csv.QUOTE_NONE, how
   * GLUE's TSV files are read) a `"` is an ordinary character. Default: true.
   */
  quoting?: boolean;
  /** Whether the first row names the columns. Default: false. */
  header?: boolean;
  /** The file name, for error messages. */
  file?: string;
}

/** One data row and the 1-based line it starts on. */
export interface DelimitedRow {
  line: number;
  fields: string[];
}

export interface DelimitedTable {
  /** Column names from the first row when `header` is set, else null. */
  header: string[] | null;
  /** The line the header is on (1), or 0 when there is none. */
  headerLine: number;
  rows: DelimitedRow[];
}

const BOM = '\uFEFF';

/**
 * Splits TSV or CSV text into rows. A leading UTF-8 BOM is dropped; `\r\n`, `\n` and a lone `\r`
 * all end a line; empty lines are skipped (they are not rows). Every row carries the 1-based line
 * number it starts on, so later errors can name it.
 */
export function parseDelimited(text: string, options: DelimitedOptions = {}): DelimitedTable {
  const quoting = options.quoting ?? true;
  const delimiter = options.delimiter ?? (quoting ? ',' : '\t');
  if (delimiter.length !== 1 || delimiter === '\n' || delimiter === '\r' || (quoting && delimiter === '"')) {
    throw inputError(`delimiter ${JSON.stringify(delimiter)} is not usable`, {
      file: options.file,
      field: 'delimiter',
      fix: 'use a single character other than a line break or a quote, e.g. "," or "\\t"',
    });
  }
  if (text.startsWith(BOM)) text = text.slice(1);
  const records = quoting ? splitQuoted(text, delimiter, options.file) : splitUnquoted(text, delimiter);
  let header: string[] | null = null;
  let headerLine = 0;
  if (options.header && records.length > 0) {
    const first = records.shift()!;
    header = first.fields;
    headerLine = first.line;
  }
  return { header, headerLine, rows: records };
}

/** GLUE-style TSV: tab-separated, no quote handling. */
export function parseTsv(text: string, options: Omit<DelimitedOptions, 'delimiter'> = {}): DelimitedTable {
  return parseDelimited(text, { quoting: false, ...options, delimiter: '\t' });
}

/** RFC 4180 CSV: comma-separated, quoted fields. */
export function parseCsv(text: string, options: Omit<DelimitedOptions, 'delimiter'> = {}): DelimitedTable {
  return parseDelimited(text, { quoting: true, ...options, delimiter: ',' });
}

function splitUnquoted(text: string, delimiter: string): DelimitedRow[] {
  const rows: DelimitedRow[] = [];
  let line = 1;
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let end = start;
    while (end < n) {
      const c = text.charCodeAt(end);
      if (c === 10 || c === 13) break;
      end++;
    }
    if (end > start) rows.push({ line, fields: text.slice(start, end).split(delimiter) });
    if (end >= n) break;
    // \r\n is one line break.
    start = text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
    line++;
  }
  return rows;
}

function splitQuoted(text: string, delimiter: string, file: string | undefined): DelimitedRow[] {
  const rows: DelimitedRow[] = [];
  const n = text.length;
  let line = 1;
  let i = 0;
  let fields: string[] = [];
  let field = '';
  let rowLine = 1;
  let rowHasContent = false;
  // True at the first character of a field: only there does a quote open a quoted field.
  let fieldStart = true;

  const touch = () => {
    if (!rowHasContent) rowLine = line;
    rowHasContent = true;
  };
  const endRow = () => {
    if (rowHasContent) {
      fields.push(field);
      rows.push({ line: rowLine, fields });
    }
    fields = [];
    field = '';
    rowHasContent = false;
    fieldStart = true;
  };

  while (i < n) {
    const c = text[i];
    if (c === '"' && fieldStart) {
      // A quoted field: runs to the next quote that is not doubled.
      const quoteLine = line;
      touch();
      fieldStart = false;
      i++;
      let closed = false;
      while (i < n) {
        const q = text[i];
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        if (q === '\r' || q === '\n') {
          field += '\n';
          i += q === '\r' && text[i + 1] === '\n' ? 2 : 1;
          line++;
          continue;
        }
        // Copy a run of ordinary characters at once.
        let j = i + 1;
        while (j < n) {
          const d = text[j];
          if (d === '"' || d === '\r' || d === '\n') break;
          j++;
        }
        field += text.slice(i, j);
        i = j;
      }
      if (!closed) {
        throw inputError('a quoted field is never closed', {
          file,
          field: `line ${quoteLine}`,
          fix: 'end the field with a " and write a quote inside a quoted field as ""',
        });
      }
      // Only the delimiter or the end of the line may follow a closing quote (RFC 4180; Python's
      // csv with strict=True); spaces before it are kept as written. Anything else is nearly
      // always an unbalanced quote further up whose field swallowed the rows that followed it
      // up to the next quote in the file: name the line where that quote opened.
      let after = i;
      while (after < n && (text[after] === ' ' || (text[after] === '\t' && delimiter !== '\t'))) after++;
      if (after < n && text[after] !== delimiter && text[after] !== '\r' && text[after] !== '\n') {
        throw textAfterClosingQuote(text, i, quoteLine, line, file);
      }
      continue;
    }
    if (c === delimiter) {
      touch();
      fields.push(field);
      field = '';
      fieldStart = true;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRow();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      continue;
    }
    touch();
    fieldStart = false;
    field += c;
    i++;
  }
  endRow();
  return rows;
}

/** The error for `"ab"c`: `close` is the index just after the closing quote. */
function textAfterClosingQuote(text: string, close: number, quoteLine: number, closeLine: number, file: string | undefined) {
  let end = close;
  while (end < text.length && end < close + 30 && text[end] !== '\r' && text[end] !== '\n') end++;
  const shown = JSON.stringify(text.slice(close - 1, end) + (end - close === 30 ? '…' : ''));
  if (closeLine > quoteLine) {
    return inputError(
      `the quote that opens a field on this line is not closed on it: the next quote, on line ${closeLine} (${shown}), ` +
        `is followed by text, so the rows in between would become one field`,
      { file, field: `line ${quoteLine}`, fix: 'close the quoted field, or write a quote inside a quoted field as ""' },
    );
  }
  return inputError(`text follows the closing quote of a quoted field (${shown})`, {
    file,
    field: `line ${quoteLine}`,
    fix: 'quote the whole field and double the quotes inside it, e.g. "ab""c" for ab"c',
  });
}
