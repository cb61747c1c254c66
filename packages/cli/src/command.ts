import { parseArgs } from 'node:util';
import { MaxPoolBertError, quoteInput } from '@maxpoolbert/core';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Placeholder shown in help, e.g. "DIR". */
  value?: string;
  description: string;
  default?: string | boolean;
  required?: boolean;
  /** May be given more than once (`--text a.txt --text b.txt`); read it with `repeatedOption`. */
  multiple?: boolean;
}

/** Where a command writes; tests pass their own to capture output. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress bars vs plain lines). */
  isTty: boolean;
}

export type ParsedOptions = Record<string, string | boolean | undefined>;

export interface Command {
  name: string;
  summary: string;
  /** Extra usage text after the options, e.g. output formats. */
  details?: string;
  positionals?: { name: string; description: string; required: boolean }[];
  options: Record<string, OptionSpec>;
  run(opts: ParsedOptions, positionals: string[], io: CliIo): Promise<void>;
}

/** Options every computing command takes. */
export const BACKEND_OPTIONS: Record<string, OptionSpec> = {
  backend: { type: 'string', value: 'NAME', description: 'tfjs backend: auto, tfjs-node-gpu, tfjs-node, native, wasm, cpu, webgpu', default: 'auto' },
  threads: { type: 'string', value: 'N', description: 'CPU threads of the native backend (default: every core; OMP_NUM_THREADS, when set, wins)' },
  'allow-fallback': { type: 'boolean', description: 'use the next backend when the chosen one cannot start' },
};

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends MaxPoolBertError {}

/**
 * Runs a check whose failure means the command was called wrongly (an unknown head or backend
 * name): its error becomes a UsageError with the same message, so the exit code is 2.
 */
export function asUsage<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof MaxPoolBertError && !(err instanceof UsageError)) throw new UsageError(err.message, err);
    throw err;
  }
}

/** A negative number (-1, -0.5, -1e-3): a value, not an option, even though it starts with "-". */
const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * `--batch-size -1` as `--batch-size=-1`: node's parser takes a value that starts with "-" for
 * a forgotten value ("ambiguous"); a negative number after an option that takes a value is that
 * value, so the option's own range check can answer.
 */
function joinNegativeValues(cmd: Command, argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') return [...out, ...argv.slice(i)];
    const spec = arg.startsWith('--') && !arg.includes('=') ? cmd.options[arg.slice(2)] : undefined;
    if (spec?.type === 'string' && i + 1 < argv.length && NEGATIVE_NUMBER.test(argv[i + 1])) out.push(`${arg}=${argv[++i]}`);
    else out.push(arg);
  }
  return out;
}

/** Every value of each repeatable option (OptionSpec.multiple), per parse. */
const repeated = new WeakMap<ParsedOptions, Record<string, string[]>>();

/** All the values a repeatable option was given, in order (empty when it was not given). */
export function repeatedOption(opts: ParsedOptions, key: string): string[] {
  const all = repeated.get(opts)?.[key];
  if (all) return all;
  const one = opts[key];
  return typeof one === 'string' ? [one] : [];
}

/** The options each parse saw on the command line, before defaults were filled in. */
const givenKeys = new WeakMap<ParsedOptions, Set<string>>();

/**
 * The options the user actually passed (a default that was filled in is not one of them), e.g. to
 * tell `train --resume DIR --epochs 3` from a plain `--resume DIR` whose epochs default to 3.
 */
export function givenOptions(opts: ParsedOptions): Set<string> {
  return givenKeys.get(opts) ?? new Set(Object.keys(opts).filter((k) => opts[k] !== undefined));
}

export function parseCommandArgs(cmd: Command, argv: string[]): { opts: ParsedOptions; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(cmd, argv),
      options: Object.fromEntries(Object.entries(cmd.options).map(([k, o]) => [k, { type: o.type, ...(o.multiple ? { multiple: true } : {}) }])),
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(`${cmd.name}: ${(err as Error).message.split('\n')[0]} (see maxpoolbert ${cmd.name} --help)`);
  }
  const opts = { ...parsed.values } as ParsedOptions;
  givenKeys.set(opts, new Set(Object.keys(parsed.values)));
  // A repeatable option keeps all its values aside; opts holds the last, so it stays a string.
  for (const [key, spec] of Object.entries(cmd.options)) {
    const values = (parsed.values as Record<string, unknown>)[key];
    if (spec.multiple && Array.isArray(values)) {
      repeated.set(opts, { ...repeated.get(opts), [key]: values as string[] });
      opts[key] = values[values.length - 1] as string | undefined;
    }
  }
  for (const [key, spec] of Object.entries(cmd.options)) {
    if (opts[key] === undefined && spec.default !== undefined) opts[key] = spec.default;
    if (spec.required && opts[key] === undefined) {
      throw new UsageError(`${cmd.name}: --${key} is required (see maxpoolbert ${cmd.name} --help)`);
    }
  }
  const required = (cmd.positionals ?? []).filter((p) => p.required);
  if (parsed.positionals.length < required.length) {
    throw new UsageError(`${cmd.name}: missing ${required.map((p) => p.name).join(' ')} (see maxpoolbert ${cmd.name} --help)`);
  }
  if (parsed.positionals.length > (cmd.positionals ?? []).length) {
    throw new UsageError(`${cmd.name}: unexpected argument ${quoteInput(parsed.positionals[(cmd.positionals ?? []).length])} (see maxpoolbert ${cmd.name} --help)`);
  }
  return { opts, positionals: parsed.positionals };
}

export function commandHelp(cmd: Command): string {
  const pos = (cmd.positionals ?? []).map((p) => (p.required ? p.name : `[${p.name}]`)).join(' ');
  const lines = [`Usage: maxpoolbert ${cmd.name}${pos ? ' ' + pos : ''} [options]`, '', cmd.summary, ''];
  for (const p of cmd.positionals ?? []) lines.push(`  ${p.name.padEnd(26)}${p.description}`);
  lines.push('Options:');
  for (const [key, spec] of Object.entries(cmd.options)) {
    const flag = `--${key}${spec.value ? ' ' + spec.value : ''}`;
    const extra = spec.required ? ' (required)' : spec.default !== undefined && spec.type === 'string' ? ` (default: ${spec.default})` : '';
    lines.push(`  ${flag.padEnd(26)}${spec.description}${extra}`);
  }
  lines.push(`  ${'--help'.padEnd(26)}show this help`);
  if (cmd.details) lines.push('', cmd.details);
  return lines.join('\n') + '\n';
}

/** Reads an integer option, with a message that names it. */
export function intOption(opts: ParsedOptions, key: string, min = 1): number | undefined {
  const raw = opts[key];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${key} must be an integer >= ${min}, got ${quoteInput(String(raw))}`);
  return n;
}

export function stringOption(opts: ParsedOptions, key: string): string | undefined {
  const v = opts[key];
  return typeof v === 'string' ? v : undefined;
}

/** A comma-separated option as a list, blanks dropped ("cls, mha," → ["cls", "mha"]). */
export function listOption(opts: ParsedOptions, key: string): string[] {
  return (stringOption(opts, key) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}
