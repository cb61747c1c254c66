/**
 * The progress of a whole compare: the runs in flight (each at its step), how many are done,
 * the step rate and the ETA of the comparison, not of one run. On a TTY one line is redrawn in
 * place (at most ~10 times a second); elsewhere a plain line is printed at the first step and
 * then every `plainEverySeconds`. Lines a run prints when it finishes go through `message`.
 *
 * The ETA divides the steps left (the planned steps of every run not finished) by the average
 * pace of this invocation since its first run started, which includes what steps do not show
 * (loading, evaluations, saving checkpoints); the rate shown is the recent steps per second.
 */
import { formatClock, formatRate, renderBar } from './progress.js';

export interface CompareProgressOptions {
  /** How many runs the compare has in all (finished ones included). */
  runs: number;
  /** Steps a run that has not reported yet is expected to take. */
  stepsPerRun: number;
  isTty: boolean;
  write: (text: string) => void;
  quiet?: boolean;
  /** Milliseconds; injectable for tests. Defaults to Date.now. */
  now?: () => number;
  /** Non-TTY: seconds between plain lines. Default 10. */
  plainEverySeconds?: number;
  /** TTY width: the line is cut to fit so that `\r` redraws stay on one line. */
  columns?: number;
  /** Say how many runs wait for a worker (a distributed compare). */
  showQueued?: boolean;
}

interface RunState {
  label: string;
  step: number;
  total: number;
  running: boolean;
  finished: boolean;
  /** The queue worker training it (compare --queue). */
  where?: string;
}

const CLEAR_LINE = '\r\x1b[K';
const TTY_MIN_INTERVAL_MS = 100;
/** Seconds of step history the shown rate is measured over. */
const RATE_WINDOW_MS = 30_000;

export class CompareProgress {
  private readonly runs = new Map<string, RunState>();
  private readonly now: () => number;
  private readonly plainEveryMs: number;
  private readonly started: number;
  /** Steps trained by this invocation (a resumed run's earlier steps are not counted). */
  private work = 0;
  /** When the first run of this invocation started: the pace is measured from there. */
  private paceFrom: number | undefined;
  private samples: { t: number; work: number }[] = [];
  private lineOnScreen = false;
  private lastDrawAt = -Infinity;
  private lastPlainAt = -Infinity;
  private finishedAll = false;

  constructor(private readonly o: CompareProgressOptions) {
    this.now = o.now ?? Date.now;
    this.plainEveryMs = (o.plainEverySeconds ?? 10) * 1000;
    this.started = this.now();
  }

  /** A run found finished already (a rerun): it counts as done and costs no time. */
  alreadyFinished(id: string, label: string): void {
    this.runs.set(id, { label, step: 0, total: 0, running: false, finished: true });
  }

  /** A run starts (or resumes at `step`), on queue worker `where` in a distributed compare. */
  runStarted(id: string, label: string, step = 0, where?: string): void {
    this.runs.set(id, { label, step, total: Math.max(step, this.o.stepsPerRun), running: true, finished: false, where });
    this.paceFrom ??= this.now();
  }

  /** A run waits for a queue worker (compare --queue), or waits again after its worker died. */
  runQueued(id: string, label: string): void {
    const run = this.runs.get(id);
    if (run) run.running = false;
    else this.runs.set(id, { label, step: 0, total: this.o.stepsPerRun, running: false, finished: false });
  }

  /** A step of a run in flight. */
  step(id: string, step: number, totalSteps: number): void {
    if (this.finishedAll) return;
    const run = this.runs.get(id);
    if (!run || run.finished) return;
    const t = this.now();
    if (step > run.step) this.work += step - run.step;
    run.step = step;
    run.total = Math.max(totalSteps, step);
    this.samples.push({ t, work: this.work });
    while (this.samples.length > 2 && t - this.samples[0].t > RATE_WINDOW_MS) this.samples.shift();
    this.show(t);
  }

  /** A run is done (also one that stopped early): prints `line` above the progress line. */
  runFinished(id: string, line: string): void {
    const run = this.runs.get(id);
    if (run) Object.assign(run, { running: false, finished: true });
    this.message(line);
  }

  /** A run failed or was stopped: it is no longer in flight. */
  runStopped(id: string): void {
    const run = this.runs.get(id);
    if (run) run.running = false;
  }

  /** Prints a line of text without breaking the progress line. */
  message(text: string): void {
    if (this.o.quiet) return;
    if (this.o.isTty && this.lineOnScreen) {
      this.o.write(`${CLEAR_LINE}${text}\n`);
      this.o.write(CLEAR_LINE + this.fit(this.line(this.now(), true)));
    } else {
      this.o.write(`${text}\n`);
    }
  }

  /** Clears the progress line for good (the table follows). */
  finish(): void {
    if (this.finishedAll) return;
    this.finishedAll = true;
    if (!this.o.quiet && this.o.isTty && this.lineOnScreen) this.o.write(CLEAR_LINE);
    this.lineOnScreen = false;
  }

  /** Steps still to train: every run not finished, at its planned length. */
  stepsLeft(): number {
    let left = 0;
    for (const run of this.runs.values()) if (!run.finished) left += Math.max(0, run.total - run.step);
    const unseen = Math.max(0, this.o.runs - this.runs.size);
    return left + unseen * this.o.stepsPerRun;
  }

  /** Recent steps per second over all runs in flight; undefined until two samples differ. */
  rate(): number | undefined {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.t <= first.t || last.work <= first.work) return undefined;
    return ((last.work - first.work) / (last.t - first.t)) * 1000;
  }

  /** Seconds until every run is done, at this invocation's average pace; undefined before it is known. */
  etaSeconds(t = this.now()): number | undefined {
    // Not from a single step: it would hold the whole start-up.
    if (this.paceFrom === undefined || this.rate() === undefined || t <= this.paceFrom) return undefined;
    const perSecond = (this.work / (t - this.paceFrom)) * 1000;
    return this.stepsLeft() / perSecond;
  }

  private show(t: number): void {
    if (this.o.quiet) return;
    if (this.o.isTty) {
      if (t - this.lastDrawAt < TTY_MIN_INTERVAL_MS && this.lineOnScreen) return;
      this.o.write(CLEAR_LINE + this.fit(this.line(t, true)));
      this.lineOnScreen = true;
      this.lastDrawAt = t;
    } else if (t - this.lastPlainAt >= this.plainEveryMs) {
      this.o.write(this.line(t, false) + '\n');
      this.lastPlainAt = t;
    }
  }

  /** Share of the compare done, in steps; a finished run counts as a planned run's steps. */
  private fraction(): number {
    const left = this.stepsLeft();
    let done = 0;
    for (const run of this.runs.values()) done += run.finished ? this.o.stepsPerRun : run.step;
    return done + left > 0 ? done / (done + left) : 1;
  }

  private line(t: number, tty: boolean): string {
    const done = [...this.runs.values()].filter((r) => r.finished).length;
    const inFlight = [...this.runs.values()].filter((r) => r.running).map((r) => `${r.label} ${r.step}/${r.total}${r.where ? ` on ${r.where}` : ''}`);
    const rate = this.rate();
    const eta = this.etaSeconds(t);
    const timing = [
      ...(rate !== undefined ? [formatRate(rate)] : []),
      `elapsed ${formatClock((t - this.started) / 1000)}`,
      `ETA ${eta === undefined ? '--:--' : formatClock(eta)}`,
    ];
    const waiting = this.o.runs - done - inFlight.length;
    const runs = `${done}/${this.o.runs} runs done${this.o.showQueued ? `, ${waiting} queued` : ''}`;
    const flight = inFlight.length ? `, in flight: ${inFlight.join(', ')}` : '';
    if (tty) return `compare ${renderBar(this.fraction())} ${Math.floor(this.fraction() * 100)}% ${runs}${flight}  ${timing.join('  ')}`;
    return `compare: ${Math.floor(this.fraction() * 100)}% ${runs}${flight}; ${timing.join(', ')} (whole compare)`;
  }

  private fit(line: string): string {
    const columns = this.o.columns;
    if (columns === undefined || columns <= 1 || line.length < columns) return line;
    return line.slice(0, columns - 1);
  }
}
