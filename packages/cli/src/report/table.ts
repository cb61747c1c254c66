/** Plain-ASCII text tables and the number formats the compare report uses. */

export type Align = 'left' | 'right';

export interface TableOptions {
  /** Per column; by default a column is right-aligned when every cell in it is a number. */
  align?: Align[];
}

/** Display width in code points (so "±" counts as one). */
function width(text: string): number {
  return [...text].length;
}

function cellText(cell: string | number | undefined): string {
  if (cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : 'n/a';
  return cell;
}

function pad(text: string, w: number, align: Align): string {
  const gap = ' '.repeat(Math.max(0, w - width(text)));
  return align === 'right' ? gap + text : text + gap;
}

/**
 * A fixed-width table: columns separated by two spaces, the header, then a line of `-` under
 * each column. Lines carry no trailing spaces; there is no final newline.
 */
export function formatTable(headers: string[], rows: (string | number)[][], options: TableOptions = {}): string {
  const columns = Math.max(headers.length, ...rows.map((r) => r.length));
  const align: Align[] = [];
  for (let c = 0; c < columns; c++) {
    const numeric = rows.length > 0 && rows.every((r) => typeof r[c] === 'number');
    align.push(options.align?.[c] ?? (numeric ? 'right' : 'left'));
  }
  const text = [headers, ...rows].map((r) => Array.from({ length: columns }, (_, c) => cellText(r[c])));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(...text.map((r) => width(r[c]))));
  const line = (cells: string[]) => cells.map((t, c) => pad(t, widths[c], align[c])).join('  ').trimEnd();
  const [head, ...body] = text;
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function fixed(value: number, digits: number): string {
  const s = value.toFixed(digits);
  // No "-0.00": a value that rounds to zero shows as zero.
  return Number(s) === 0 ? s.replace(/^-/, '') : s;
}

/** "83.12 ± 1.07"; "n/a" for a missing mean; just the mean when std is missing. */
export function formatMeanStd(mean: number, std: number, digits = 2): string {
  if (!Number.isFinite(mean)) return 'n/a';
  if (!Number.isFinite(std)) return fixed(mean, digits);
  return `${fixed(mean, digits)} ± ${fixed(Math.abs(std), digits)}`;
}

/** "12.3s" under a minute, "1m 23s" under an hour, then "1h 02m". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return 'n/a';
  if (seconds < 59.95) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, '0')}s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
