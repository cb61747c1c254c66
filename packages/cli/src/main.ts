import '@maxpoolbert/heads';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MaxPoolBertError } from '@maxpoolbert/core';
import { commandHelp, parseCommandArgs, UsageError, type CliIo, type Command } from './command.js';
import { COMMANDS } from './commands/index.js';
import { describeFsError } from './fs-errors.js';

const defaultIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTty: !!process.stderr.isTTY,
};

function overview(): string {
  const lines = ['Usage: maxpoolbert <command> [options]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(10)}${c.summary}`);
  lines.push('', 'Run `maxpoolbert <command> --help` for a command\'s options.');
  lines.push('Any command takes `--require MODULE` (repeatable) to load plugins such as third-party heads first.');
  return lines.join('\n') + '\n';
}

/**
 * Takes every `--require MODULE` out of argv. Plugins (third-party heads, encoders, backends)
 * register themselves on import, so loading them before the command runs makes them usable by
 * name. A path (./x.js, /abs/x.js) is resolved from the current folder, anything else is a package.
 */
export function extractRequires(argv: string[]): { modules: string[]; rest: string[] } {
  const modules: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--require' && i + 1 < argv.length) modules.push(argv[++i]);
    else if (argv[i].startsWith('--require=')) modules.push(argv[i].slice('--require='.length));
    else rest.push(argv[i]);
  }
  return { modules, rest };
}

async function loadPlugin(spec: string): Promise<void> {
  const isPath = spec.startsWith('.') || path.isAbsolute(spec);
  try {
    await import(isPath ? pathToFileURL(path.resolve(spec)).href : spec);
  } catch (err) {
    throw new MaxPoolBertError(`--require ${spec}: could not load it (${(err as Error).message.split('\n')[0]})`);
  }
}

/**
 * Runs one CLI invocation and returns its exit code: 0 ok, 1 failed, 2 wrong usage. Errors are
 * printed as one line; set MAXPOOLBERT_DEBUG=1 for the stack.
 */
export async function runCli(argvWithPlugins: string[], io: CliIo = defaultIo): Promise<number> {
  const { modules, rest: argv } = extractRequires(argvWithPlugins);
  try {
    for (const m of modules) await loadPlugin(m);
  } catch (err) {
    io.stderr(`maxpoolbert: error: ${(err as Error).message}\n`);
    return 1;
  }
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(overview());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    const { packageVersion } = await import('./versions.js');
    io.stdout(packageVersion('@maxpoolbert/cli') + '\n');
    return 0;
  }
  const cmd: Command | undefined = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.stderr(`maxpoolbert: unknown command "${name}"; commands: ${COMMANDS.map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(commandHelp(cmd));
    return 0;
  }
  try {
    const { opts, positionals } = parseCommandArgs(cmd, rest);
    await cmd.run(opts, positionals, io);
    return 0;
  } catch (err) {
    // A file-system error is the user's to fix (a full disk, a file where a folder should be), not a crash.
    const fsMessage = describeFsError(err);
    const message = fsMessage ?? (err as Error).message?.split('\n')[0] ?? String(err);
    io.stderr(`maxpoolbert ${cmd.name}: error: ${message}\n`);
    if (process.env.MAXPOOLBERT_DEBUG) io.stderr(`${(err as Error).stack}\n`);
    if (err instanceof UsageError) return 2;
    if (!(err instanceof MaxPoolBertError) && !fsMessage && !process.env.MAXPOOLBERT_DEBUG) {
      io.stderr('(unexpected error: rerun with MAXPOOLBERT_DEBUG=1 for details)\n');
    }
    return 1;
  }
}
