import { inputError, MaxPoolBertError, quoteInput } from '../errors.js';
import type { LabelSet } from '../model/labels.js';
import { parseDelimited } from './delimited.js';
import type { Example, LoadResult, SkippedRow } from './example.js';
import { parseJsonl } from './jsonl.js';

export type TableFormat = 'csv' | 'tsv' | 'jsonl';

/** A column: its header name (or JSON key), or its 0-based index in a CSV/TSV row. */
export type ColumnRef = string | number;

export interface TableOptions {
  format: TableFormat;
  textColumn: ColumnRef;
  /** The second text of a pair task. */
  textPairColumn?: ColumnRef;
  labelColumn: ColumnRef;
  /**
   * The label mapping to use (the training set's, when loading dev/test data): a label it does not
   * name is a bad row. Without it, classification labels are collected from the file and sorted
   * (numerically when they are all numbers), e.g. ["ham", "spam"].
   */
  labels?: LabelSet;
  /** Read the label column as a number (a regression target). Implied by `labels` of type regression. */
  regression?: boolean;
  /** For regression: the allowed [min, max] of a value; one outside is a bad row. */
  valueRange?: [number, number];
  /** Leave bad rows out and list them in `skipped` instead of failing on the first. */
  skipBadRows?: boolean;
  /** CSV/TSV: whether the first row names the columns. Default true. */
  header?: boolean;
  /** CSV/TSV: quote handling. Default: on for CSV, off for TSV (GLUE's files are read this way). */
  quoting?: boolean;
}

/** One row before it becomes an Example: a way to read a column, and the line it is on. */
interface RawRow {
  line: number;
  get(col: ResolvedColumn): { value?: unknown; missing?: string };
  /** What is wrong with the row as a whole (a CSV/TSV row with the wrong number of fields). */
  problem?: RowProblem;
}

interface ResolvedColumn {
  /** How the column is named in messages. */
  label: string;
  index?: number;
  key?: string;
}

const REGRESSION_NAME = 'LABEL_0';
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A problem with one row: a bad row, skippable with `skipBadRows`. */
class RowProblem {
  constructor(readonly reason: string, readonly fix: string) {}
}

/**
 * Class labels that mix numbers and words ("0", "1", "negative", "positive"): two labelling
 * schemes in one file, which would silently train a classifier with one class per spelling.
 * `labels` holds what was seen, so a caller that takes an explicit label set can say how.
 */
export class MixedLabelsError extends MaxPoolBertError {
  /** The message without the file, field and fix. */
  readonly problem: string;

  constructor(readonly labels: string[], where: { file: string; field: string }) {
    const shown = labels.slice(0, LABELS_SHOWN).map((l) => quoteInput(l, 40)).join(', ') + (labels.length > LABELS_SHOWN ? ` and ${labels.length - LABELS_SHOWN} more` : '');
    const problem = `the labels mix numbers and words (${shown}), which would make ${labels.length} classes`;
    super(inputError(problem, { ...where, fix: 'make the column use one kind of label, or give the label set and its order explicitly' }).message, where);
    this.problem = problem;
  }
}

/** How many labels a message lists before it says "and N more". */
const LABELS_SHOWN = 12;

/**
 * Loads labelled examples from CSV, TSV or JSONL text. `file` names the input in errors. Every
 * bad row (missing column, empty text, unknown label, non-numeric regression value, malformed
 * JSONL line) is an error naming the file and line, or with `skipBadRows` is left out and listed
 * in `skipped`. An empty file, or one without any usable row, is always an error.
 */
export function loadTable(text: string, file: string, options: TableOptions): LoadResult {
  const { format } = options;
  if (format !== 'csv' && format !== 'tsv' && format !== 'jsonl') {
    throw inputError(`unknown format "${String(format)}"`, { file, field: 'format', fix: 'use csv, tsv or jsonl' });
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') {
    throw inputError('the file is empty', { file, fix: 'give a file with one example per row' });
  }
  const regression = resolveProblem(options, file);
  const skipped: SkippedRow[] = [];
  const skip = !!options.skipBadRows;

  const { rows, columns } = format === 'jsonl' ? jsonlRows(text, file, options, skipped) : delimitedRows(text, file, options);
  const [textCol, pairCol, labelCol] = columns as [ResolvedColumn, ResolvedColumn | undefined, ResolvedColumn];
  refuseSameColumn(file, textCol, pairCol, labelCol);
  if (rows.length === 0 && skipped.length === 0) {
    throw inputError('the file has no data rows', { file, fix: 'add rows below the header, one example per row' });
  }

  // First pass: read the fields; labels stay strings until the label set is known.
  const read: { line: number; text: string; textPair?: string; label: string | number }[] = [];
  for (const row of rows) {
    try {
      if (row.problem) throw row.problem;
      const t = readText(row, textCol);
      const p = pairCol ? readText(row, pairCol) : undefined;
      const label = readLabel(row, labelCol, regression, options.valueRange);
      read.push({ line: row.line, text: t, textPair: p, label });
    } catch (e) {
      if (!(e instanceof RowProblem)) throw e;
      if (!skip) throw inputError(e.reason, { file, field: `line ${row.line}`, fix: e.fix });
      skipped.push({ line: row.line, reason: e.reason });
    }
  }

  let labels: LabelSet;
  let ids: Map<string, number> | null = null;
  if (regression) {
    labels = options.labels ?? { problemType: 'regression', names: [REGRESSION_NAME] };
  } else {
    labels = options.labels ?? { problemType: 'single_label_classification', names: sortLabels(read.map((r) => r.label as string)) };
    if (!options.labels) refuseMixedLabels(labels.names, labelCol, file);
    ids = new Map(labels.names.map((name, i) => [name, i]));
  }

  const examples: Example[] = [];
  for (const r of read) {
    let label: number;
    if (ids) {
      const id = ids.get(r.label as string);
      if (id === undefined) {
        const reason = `unknown label "${r.label}" in column ${labelCol.label} (known labels: ${labels.names.join(', ')})`;
        if (!skip) {
          throw inputError(reason, { file, field: `line ${r.line}`, fix: 'use one of the known labels, or train with a label set that includes it' });
        }
        skipped.push({ line: r.line, reason });
        continue;
      }
      label = id;
    } else {
      label = r.label as number;
    }
    const ex: Example = { text: r.text, label, line: r.line };
    if (r.textPair !== undefined) ex.textPair = r.textPair;
    examples.push(ex);
  }
  skipped.sort((a, b) => a.line - b.line);

  if (examples.length === 0) {
    const first = skipped[0];
    throw inputError(`no usable rows: all ${skipped.length} data rows are bad (first: line ${first.line}: ${first.reason})`, {
      file,
      fix: 'check the column names and the label column',
    });
  }
  return { dataset: { file, examples, labels }, skipped };
}

function resolveProblem(options: TableOptions, file: string): boolean {
  const fromLabels = options.labels ? options.labels.problemType === 'regression' : undefined;
  if (options.labels && options.regression !== undefined && options.regression !== fromLabels) {
    throw inputError(`regression is ${options.regression} but the given labels are ${options.labels.problemType}`, {
      file,
      field: 'regression',
      fix: 'leave regression out when passing labels',
    });
  }
  if (options.labels && !fromLabels && options.labels.names.length === 0) {
    throw inputError('the given label set has no labels', { file, field: 'labels', fix: "pass the training set's labels" });
  }
  if (options.labels && !fromLabels) {
    const names = options.labels.names;
    const twice = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
    if (twice.length) {
      throw inputError(`the given label set names ${twice.map((l) => quoteInput(l)).join(', ')} more than once`, {
        file,
        field: 'labels',
        fix: 'name each label once, in id order',
      });
    }
  }
  return fromLabels ?? !!options.regression;
}

function refuseMixedLabels(names: string[], col: ResolvedColumn, file: string): void {
  const numbers = names.filter((n) => NUMBER_RE.test(n));
  if (numbers.length === 0 || numbers.length === names.length) return;
  // Numbers first: the user looks for the stray scheme.
  throw new MixedLabelsError([...sortLabels(numbers), ...sortLabels(names.filter((n) => !NUMBER_RE.test(n)))], { file, field: `column ${col.label}` });
}

/** Sorted label names: numerically when every label is a number, else by code unit. */
export function sortLabels(values: Iterable<string>): string[] {
  const unique = [...new Set(values)];
  if (unique.length > 0 && unique.every((v) => NUMBER_RE.test(v))) return unique.sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
  return unique.sort();
}

const sameColumn = (a: ResolvedColumn, b: ResolvedColumn) => (a.index !== undefined ? a.index === b.index : a.key === b.key);

/** Text read from the label column would teach the model to read its answer off the input. */
function refuseSameColumn(file: string, text: ResolvedColumn, pair: ResolvedColumn | undefined, label: ResolvedColumn): void {
  const clashes: [ResolvedColumn, ResolvedColumn | undefined, string, string][] = [
    [text, label, 'textColumn', 'labelColumn'],
    [label, pair, 'textPairColumn', 'labelColumn'],
    [text, pair, 'textColumn', 'textPairColumn'],
  ];
  const clash = clashes.find(([a, b]) => b !== undefined && sameColumn(a, b));
  if (!clash) return;
  const [a, , aName, bName] = clash;
  throw inputError(`${aName} and ${bName} are the same column (${a.label})`, {
    file,
    field: bName,
    fix: bName === 'labelColumn' ? 'the labels must come from a column of their own: set textColumn to the column that holds the text' : 'the two texts of a pair come from two columns',
  });
}

function readText(row: RawRow, col: ResolvedColumn): string {
  const { value, missing } = row.get(col);
  if (missing !== undefined) throw new RowProblem(missing, 'give every row all the columns');
  if (typeof value !== 'string') {
    throw new RowProblem(`column ${col.label} is ${describe(value)}, not text`, 'make the text column a string');
  }
  if (value.trim() === '') throw new RowProblem(`empty text in column ${col.label}`, 'remove the row or fill in its text');
  return value;
}

function readLabel(row: RawRow, col: ResolvedColumn, regression: boolean, range: [number, number] | undefined): string | number {
  const { value, missing } = row.get(col);
  if (missing !== undefined) throw new RowProblem(missing, 'give every row a label');
  if (regression) {
    let v: number;
    if (typeof value === 'number') v = value;
    else if (typeof value === 'string' && NUMBER_RE.test(value.trim())) v = Number(value.trim());
    else {
      throw new RowProblem(`label ${describeValue(value)} in column ${col.label} is not a number`, 'regression labels must be numbers such as 3.8');
    }
    if (!Number.isFinite(v)) throw new RowProblem(`label ${describeValue(value)} in column ${col.label} is not finite`, 'use a finite number');
    if (range && (v < range[0] || v > range[1])) {
      throw new RowProblem(`label ${v} in column ${col.label} is outside ${range[0]}..${range[1]}`, `use a value from ${range[0]} to ${range[1]}`);
    }
    return v;
  }
  let s: string;
  if (typeof value === 'string') s = value.trim();
  else if (typeof value === 'number' || typeof value === 'boolean') s = String(value);
  else throw new RowProblem(`label in column ${col.label} is ${describe(value)}`, 'labels must be strings or numbers');
  if (s === '') throw new RowProblem(`empty label in column ${col.label}`, 'give every row a label');
  return s;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function describeValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : describe(value);
}

function delimitedRows(text: string, file: string, options: TableOptions): { rows: RawRow[]; columns: (ResolvedColumn | undefined)[] } {
  const hasHeader = options.header ?? true;
  const table = parseDelimited(text, {
    delimiter: options.format === 'tsv' ? '\t' : ',',
    quoting: options.quoting ?? options.format === 'csv',
    header: hasHeader,
    file,
  });
  const header = table.header;
  const resolve = (ref: ColumnRef | undefined, role: string): ResolvedColumn | undefined => {
    if (ref === undefined) return undefined;
    // A digit string is an index without a header, or with one that has no column of that name
    // (the CLI's --text-column takes "a header name or 0-based index").
    if (typeof ref === 'number' || (/^\d+$/.test(ref) && !header?.some((h) => h.trim() === ref.trim()))) {
      const index = Number(ref);
      if (!Number.isInteger(index) || index < 0) {
        throw inputError(`${role} ${ref} is not a column index`, { file, field: role, fix: 'use a 0-based column index or a header name' });
      }
      if (header && index >= header.length) {
        throw inputError(`${role} ${index} is past the last column (the header has ${header.length})`, {
          file,
          field: `line ${table.headerLine}`,
          fix: `use a 0-based index below ${header.length}, or a header name`,
        });
      }
      return { label: header?.[index] !== undefined ? `"${header[index]}"` : `${index}`, index };
    }
    if (!header) {
      throw inputError(`${role} "${ref}" names a column, but the file is read without a header`, {
        file,
        field: role,
        fix: 'give the column as a 0-based index, or read the file with its header',
      });
    }
    let index = header.indexOf(ref);
    if (index < 0) index = header.findIndex((h) => h.trim() === ref.trim());
    if (index < 0) {
      // Quoted short: a file without a header makes its first (maybe 1 MB) line the "header".
      const shown = header.slice(0, 10).map((h) => quoteInput(h)).join(', ') + (header.length > 10 ? ` and ${header.length - 10} more` : '');
      throw inputError(`no column ${quoteInput(ref)} in the header (columns: ${shown})`, {
        file,
        field: `line ${table.headerLine}`,
        fix: `set ${role} to one of the header's column names`,
      });
    }
    return { label: `"${ref}"`, index };
  };
  const columns = [
    resolve(options.textColumn, 'textColumn'),
    resolve(options.textPairColumn, 'textPairColumn'),
    resolve(options.labelColumn, 'labelColumn'),
  ];
  // Every row must have the header's number of fields (the first row's, without a header): one
  // more means a delimiter inside a text shifted the columns (TSV is read unquoted, as GLUE's
  // files are, so a tab in a text splits it), and reading on would take text for the label.
  const expected = header?.length ?? table.rows[0]?.fields.length ?? 0;
  const reference = header ? 'the header has' : `line ${table.rows[0]?.line ?? 1} has`;
  const tsv = options.format === 'tsv';
  const quoted = options.quoting ?? !tsv;
  const fieldProblem = (count: number): RowProblem | undefined => {
    if (count === expected) return undefined;
    const reason = `the row has ${count} field${count === 1 ? '' : 's'} but ${reference} ${expected}`;
    if (count < expected) {
      const needed = columns.find((c) => c !== undefined && c.index! >= count);
      return new RowProblem(needed ? `missing column ${needed.label} (${reason})` : reason, `give every row all ${expected} columns`);
    }
    return new RowProblem(
      reason,
      quoted
        ? `quote a field that holds a ${tsv ? 'tab' : 'comma, e.g. "good, really"'}`
        : tsv
          ? 'a tab inside a text splits it (TSV is read without quoting, as GLUE files are): remove the tab, or write the data as CSV with that field quoted'
          : 'a comma inside a text splits it (the file is read without quoting): remove the comma, or read the file with quoting',
    );
  };
  const rows: RawRow[] = table.rows.map((r) => ({
    line: r.line,
    problem: fieldProblem(r.fields.length),
    get(col: ResolvedColumn) {
      const i = col.index!;
      if (i >= r.fields.length) return { missing: `missing column ${col.label} (the row has ${r.fields.length} field${r.fields.length === 1 ? '' : 's'})` };
      return { value: r.fields[i] };
    },
  }));
  return { rows, columns };
}

function jsonlRows(
  text: string,
  file: string,
  options: TableOptions,
  skipped: SkippedRow[],
): { rows: RawRow[]; columns: (ResolvedColumn | undefined)[] } {
  const resolve = (ref: ColumnRef | undefined, role: string): ResolvedColumn | undefined => {
    if (ref === undefined) return undefined;
    if (typeof ref !== 'string') {
      throw inputError(`${role} ${ref} is an index, but JSONL rows are read by key`, { file, field: role, fix: 'give the JSON key of the column' });
    }
    return { label: `"${ref}"`, key: ref };
  };
  const columns = [
    resolve(options.textColumn, 'textColumn'),
    resolve(options.textPairColumn, 'textPairColumn'),
    resolve(options.labelColumn, 'labelColumn'),
  ];
  const onBadLine = options.skipBadRows ? (line: number, reason: string) => skipped.push({ line, reason }) : undefined;
  const rows: RawRow[] = parseJsonl(text, file, { onBadLine }).map((r) => ({
    line: r.line,
    get(col: ResolvedColumn) {
      const v = Object.prototype.hasOwnProperty.call(r.value, col.key!) ? r.value[col.key!] : undefined;
      if (v === undefined || v === null) return { missing: `missing key ${col.label}` };
      return { value: v };
    },
  }));
  return { rows, columns };
}
