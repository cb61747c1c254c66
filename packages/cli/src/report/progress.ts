/**
 * A progress line for long work (training, compare runs).
 *
 * On a TTY one line is redrawn in place (`\r` + clear-to-end) at most ~10 times a second,
 * except the final update, which is always drawn. Elsewhere (CI logs, files) a plain line is
 * printed for the first update, then at most every `plainEverySeconds`, and for the last one.
 *
 * Rate and ETA come from a moving window over the last updates, so a resumed run (whose first
 * update is already at step 500) does not show an absurd rate.
 */

export interface ProgressOptions {
  /** How many units of work in all (e.g. optimizer steps). */
  total: number;
  label: string;
  isTty: boolean;
  write: (text: string) => void;
  /** Milliseconds; injectable for tests. Defaults to Date.now. */
  now?: () => number;
  /** Suppresses every write. */
  quiet?: boolean;
  /** Non-TTY: seconds between plain lines (first and last are always printed). Default 10. */
  plainEverySeconds?: number;
  /** Singular unit name for the rate: "12.3 steps/s" or "2.50 s/step". Default "step". */
  unit?: string;
  /** Units already done before this run (a resumed run): seeds the rate window. */
  initial?: number;
  /** TTY width: the line is cut to fit so that `\r` redraws stay on one line. */
  columns?: number;
}

export type ProgressFields = Record<string, string | number>;

const BAR_WIDTH = 24;
const TTY_MIN_INTERVAL_MS = 100;
const RATE_WINDOW = 20;
const CLEAR_LINE = '\r\x1b[K';

interface Sample {
  t: number;
  done: number;
}

export class ProgressReporter {
  private readonly total: number;
  private readonly label: string;
  private readonly isTty: boolean;
  private readonly write: (text: string) => void;
  private readonly now: () => number;
  private readonly quiet: boolean;
  private readonly plainEveryMs: number;
  private readonly unit: string;
  private readonly columns?: number;
  private readonly start: number;

  private samples: Sample[] = [];
  private done = 0;
  private fields: ProgressFields = {};
  private updated = false;
  private finished = false;
  /** TTY: whether our line is on screen (so a message must clear it first). */
  private lineOnScreen = false;
  private lastDrawAt = -Infinity;
  /** Non-TTY: time and `done` of the last plain line. */
  private lastPlainAt = -Infinity;
  private lastPlainDone: number | undefined;

  constructor(options: ProgressOptions) {
    this.total = options.total;
    this.label = options.label;
    this.isTty = options.isTty;
    this.write = options.write;
    this.now = options.now ?? Date.now;
    this.quiet = options.quiet ?? false;
    this.plainEveryMs = (options.plainEverySeconds ?? 10) * 1000;
    this.unit = options.unit ?? 'step';
    this.columns = options.columns;
    this.start = this.now();
    if (options.initial !== undefined) {
      this.done = options.initial;
      this.samples.push({ t: this.start, done: options.initial });
    }
  }

  update(done: number, fields: ProgressFields = {}): void {
    if (this.finished) return;
    const t = this.now();
    const last = this.samples[this.samples.length - 1];
    // Going backwards means a restart: old samples would give a nonsense rate.
    if (last && done < last.done) this.samples = [];
    this.samples.push({ t, done });
    if (this.samples.length > RATE_WINDOW) this.samples.shift();
    this.done = done;
    this.fields = fields;
    const first = !this.updated;
    this.updated = true;
    if (this.quiet) return;

    const isFinal = done >= this.total;
    if (this.isTty) {
      if (first || isFinal || t - this.lastDrawAt >= TTY_MIN_INTERVAL_MS) this.draw(t);
    } else if (first || t - this.lastPlainAt >= this.plainEveryMs || (isFinal && this.lastPlainDone !== done)) {
      this.printPlain(t);
    }
  }

  /** Prints a line of text without breaking the bar: clears it, prints, redraws. */
  message(text: string): void {
    if (this.quiet) return;
    if (this.isTty && this.lineOnScreen) {
      this.write(`${CLEAR_LINE}${text}\n`);
      this.write(CLEAR_LINE + this.fit(this.ttyLine(this.now())));
    } else {
      this.write(`${text}\n`);
    }
  }

  /** Prints the final state and ends the line. Later calls do nothing. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.quiet) return;
    const t = this.now();
    if (this.isTty) {
      this.write(CLEAR_LINE + this.fit(this.ttyLine(t)) + '\n');
      this.lineOnScreen = false;
    } else if (!this.updated || this.lastPlainDone !== this.done) {
      this.printPlain(t);
    }
  }

  /** Units per second over the moving window; undefined until two distinct samples exist. */
  rate(): number | undefined {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last) return undefined;
    const dt = last.t - first.t;
    const dd = last.done - first.done;
    if (dt <= 0 || dd <= 0) return undefined;
    return (dd / dt) * 1000;
  }

  /** Seconds left at the current rate; undefined when unknown. */
  etaSeconds(): number | undefined {
    const rate = this.rate();
    if (rate === undefined) return undefined;
    return Math.max(0, this.total - this.done) / rate;
  }

  private draw(t: number): void {
    this.write(CLEAR_LINE + this.fit(this.ttyLine(t)));
    this.lineOnScreen = true;
    this.lastDrawAt = t;
  }

  private printPlain(t: number): void {
    this.write(this.plainLine(t) + '\n');
    this.lastPlainAt = t;
    this.lastPlainDone = this.done;
  }

  private fit(line: string): string {
    if (this.columns === undefined || this.columns <= 1 || line.length < this.columns) return line;
    return line.slice(0, this.columns - 1);
  }

  private fraction(): number {
    if (!(this.total > 0)) return this.done >= this.total ? 1 : 0;
    return Math.min(1, Math.max(0, this.done / this.total));
  }

  private percent(): string {
    return `${Math.floor(this.fraction() * 100)}%`;
  }

  private timing(t: number): string[] {
    const parts: string[] = [];
    const rate = this.rate();
    if (rate !== undefined) parts.push(formatRate(rate, this.unit));
    parts.push(`elapsed ${formatClock((t - this.start) / 1000)}`);
    if (this.done < this.total) {
      const eta = this.etaSeconds();
      parts.push(`ETA ${eta === undefined ? '--:--' : formatClock(eta)}`);
    }
    return parts;
  }

  private ttyLine(t: number): string {
    const parts = [this.label, renderBar(this.fraction()), `${this.done}/${this.total}`, this.percent()];
    const fields = formatFields(this.fields);
    if (fields) parts.push(fields);
    return [parts.join(' '), ...this.timing(t)].join('  ');
  }

  private plainLine(t: number): string {
    const parts = [`${this.label}:`, `${this.done}/${this.total}`, `(${this.percent()})`];
    const fields = formatFields(this.fields);
    if (fields) parts.push(fields);
    return [...parts, ...this.timing(t)].join(' ');
  }
}

/** `[=========>              ]`: 24 cells inside the brackets. */
export function renderBar(fraction: number, width = BAR_WIDTH): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const filled = Math.floor(f * width);
  if (filled >= width) return `[${'='.repeat(width)}]`;
  return `[${'='.repeat(filled)}>${' '.repeat(width - filled - 1)}]`;
}

/** A number to 4 significant digits without trailing zeros: 0.4312, 12.35, 1235, 1.235e-5. */
export function formatSignificant(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'inf' : '-inf';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) return value.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(digits)));
}

export function formatFields(fields: ProgressFields): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? formatSignificant(v) : v}`)
    .join(' ');
}

/** `12.3 steps/s`, `250 steps/s`, or below one a second `2.50 s/step`. */
export function formatRate(perSecond: number, unit = 'step'): string {
  if (perSecond >= 1) {
    const shown = perSecond >= 100 ? String(Math.round(perSecond)) : perSecond.toFixed(perSecond >= 10 ? 1 : 2);
    return `${shown} ${unit}s/s`;
  }
  const secs = 1 / perSecond;
  return `${secs >= 100 ? Math.round(secs) : secs.toFixed(secs >= 10 ? 1 : 2)} s/${unit}`;
}

/** `m:ss`, or `h:mm:ss` from an hour on. */
export function formatClock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
