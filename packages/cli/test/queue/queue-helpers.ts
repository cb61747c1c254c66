/** Pieces shared by the distributed-compare tests: worker processes, waiting, what to compare. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJson, spawnBin } from '../training/helpers';

export interface Run {
  head: string;
  seed: number;
  steps: number;
  losses: number[];
  backend: string;
  best: { step: number; metrics: Record<string, number> } | null;
  history: { step: number; metrics: Record<string, number> }[];
}

/** What must not depend on where (or in how many attempts) a run was trained. */
export const numbers = (runs: Run[]) => runs.map((r) => ({
  head: r.head, seed: r.seed, steps: r.steps, losses: r.losses, best: r.best && { step: r.best.step, metrics: r.best.metrics },
  history: r.history.map((h) => ({ step: h.step, metrics: h.metrics })),
}));

export const resultsOf = (out: string) => readJson<{ runs: Run[] }>(path.join(out, 'results.json'));

export type Spawned = ReturnType<typeof spawnBin> & { output(): string };

/** Starts the built bin and follows what it prints (`output()` so far; `done` at exit). */
export function spawnFollowed(argv: string[], env: Record<string, string> = {}): Spawned {
  const p = spawnBin(argv, env);
  let output = '';
  p.child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  p.child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  return { ...p, output: () => output };
}

/** Every process a test file started, so none outlives it (killed in afterEach/afterAll). */
export class Processes {
  private readonly all: Spawned[] = [];

  start(argv: string[], env: Record<string, string> = {}): Spawned {
    const p = spawnFollowed(argv, env);
    this.all.push(p);
    return p;
  }

  /** SIGTERM to those still running (workers stop cleanly), SIGKILL if they hang. */
  async stopAll(): Promise<void> {
    const running = this.all.splice(0).filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    for (const p of running) p.child.kill('SIGTERM');
    const timer = setTimeout(() => running.forEach((p) => p.child.kill('SIGKILL')), 15_000);
    await Promise.all(running.map((p) => p.done.catch(() => undefined)));
    clearTimeout(timer);
  }
}

/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean, timeoutMs = 90_000, everyMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** How many times `line` occurs in `text`. */
export const count = (text: string, line: string) => text.split(line).length - 1;

/** Every file under `dir`, as text: to show a secret is stored nowhere. */
export function filesUnder(dir: string): { file: string; text: string }[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile())
    .map((file) => ({ file, text: fs.readFileSync(file).toString('latin1') }));
}

/** The step of a run folder's checkpoint, when it has an unfinished one. */
export function unfinishedStep(runDir: string): number | undefined {
  try {
    const s = readJson<{ step: number; finished: boolean }>(path.join(runDir, 'checkpoint', 'trainer_state.json'));
    return s.finished ? undefined : s.step;
  } catch {
    return undefined;
  }
}
