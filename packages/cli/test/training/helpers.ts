/** Shared pieces of the training CLI tests: a tiny random BERT, GLUE files, the built bin. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GLUE_DIR } from '../../../../testing/shared-fixtures';
import { cli } from '../run-cli';

export { GLUE_DIR };

/** The built command (dist/); child processes of `compare --parallel` run it too. */
export const BIN = path.resolve(__dirname, '..', '..', 'bin', 'maxpoolbert.js');

/** Fails with a clear message when the package has not been built (npm test builds first). */
export function requireBuiltBin(): void {
  const main = path.resolve(__dirname, '..', '..', 'dist', 'main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} not found: build first (cd /work/main && npx nx run-many -t build)`);
}

/** `maxpoolbert init --preset tiny` (2 layers × 128, the built-in 30522-word vocabulary) into `dir`. */
export async function initTiny(dir: string): Promise<string> {
  const r = await cli('init', '--out', dir, '--preset', 'tiny');
  if (r.code !== 0) throw new Error(`init failed: ${r.stderr}`);
  return dir;
}

/**
 * The same tiny BERT with a word-level vocabulary of SST-2's `size` most frequent words (plus the
 * special tokens): 0.7M instead of 4.4M parameters, so checkpoints are 5× smaller and runs faster.
 */
export async function initTinySmallVocab(dir: string, size = 2000): Promise<string> {
  const counts = new Map<string, number>();
  for (const line of fs.readFileSync(path.join(GLUE_DIR, 'SST-2', 'train.tsv'), 'utf8').split('\n').slice(1)) {
    for (const w of (line.split('\t')[0] ?? '').toLowerCase().split(/\s+/)) if (w) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const words = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, size).map(([w]) => w);
  fs.mkdirSync(dir, { recursive: true });
  const vocab = path.join(path.dirname(dir), `${path.basename(dir)}-vocab.txt`);
  fs.writeFileSync(vocab, ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...words].join('\n') + '\n');
  const r = await cli('init', '--out', dir, '--preset', 'tiny', '--vocab', vocab);
  if (r.code !== 0) throw new Error(`init failed: ${r.stderr}`);
  return dir;
}

/** The labels column of a GLUE TSV with a header (SST-2: sentence, label). */
export function glueLabels(task: string, file: 'train.tsv' | 'dev.tsv'): string[] {
  const lines = fs.readFileSync(path.join(GLUE_DIR, task, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const header = lines[0]!.split('\t');
  const col = header.indexOf('label');
  if (col < 0) throw new Error(`${task}/${file} has no label column`);
  return lines.slice(1).map((l) => l.split('\t')[col]!.trim());
}

/** The share of the most common label: the accuracy of always predicting it. */
export function majorityShare(labels: string[]): number {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return Math.max(...counts.values()) / labels.length;
}

export function readJson<T = Record<string, unknown>>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** Starts the built bin; resolves its exit with everything it printed. */
export function spawnBin(argv: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> } {
  const child = spawn(process.execPath, [BIN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
  return { child, done };
}

/** Entries of a folder that look like atomic-write temporaries (".name.tmp-<pid>-<hex>"). */
export function temporaries(dir: string): string[] {
  return fs.readdirSync(dir).filter((n) => /^\..+\.tmp-\d+-[0-9a-f]+$/.test(n));
}

/**
 * A minimal well-formedness check for the SVG: one root element, every tag closed in order,
 * attribute quotes balanced. Returns the element names seen.
 */
export function checkXml(text: string): string[] {
  const body = text.replace(/<!--[\s\S]*?-->/g, '');
  const stack: string[] = [];
  const seen: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  let last = 0;
  let roots = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    const between = body.slice(last, m.index);
    if (between.includes('<') || between.includes('>')) throw new Error(`malformed markup near offset ${last}: ${between.slice(0, 80)}`);
    last = tag.lastIndex;
    const [, close, name, , selfClose] = m;
    if (close) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else {
      if (stack.length === 0) roots++;
      seen.push(name!);
      if (!selfClose) stack.push(name!);
    }
  }
  if (/[<>]/.test(body.slice(last))) throw new Error('malformed markup at the end');
  if (stack.length) throw new Error(`unclosed <${stack.join('>, <')}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
  return seen;
}

/** Polls `check` every `everyMs` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function waitFor<T>(check: () => T | undefined, timeoutMs: number, everyMs = 50): Promise<T | undefined> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const v = check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return undefined;
}
