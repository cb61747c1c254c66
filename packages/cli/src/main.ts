import '@maxpoolbert/heads';
import { MaxPoolBertError } from '@maxpoolbert/core';
import { commandHelp, parseCommandArgs, UsageError, type CliIo, type Command } from './command.js';
import { COMMANDS } from './commands/index.js';

const defaultIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTty: !!process.stderr.isTTY,
};

function overview(): string {
  const lines = ['Usage: maxpoolbert <command> [options]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(10)}${c.summary}`);
  lines.push('', 'Run `maxpoolbert <command> --help` for a command\'s options.');
  return lines.join('\n') + '\n';
}

/**
 * Runs one CLI invocation and returns its exit code: 0 ok, 1 failed, 2 wrong usage. Errors are
 * printed as one line; set MAXPOOLBERT_DEBUG=1 for the stack.
 */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
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
    const message = (err as Error).message?.split('\n')[0] ?? String(err);
    io.stderr(`maxpoolbert ${cmd.name}: error: ${message}\n`);
    if (process.env.MAXPOOLBERT_DEBUG) io.stderr(`${(err as Error).stack}\n`);
    if (err instanceof UsageError) return 2;
    if (!(err instanceof MaxPoolBertError) && !process.env.MAXPOOLBERT_DEBUG) {
      io.stderr('(unexpected error: rerun with MAXPOOLBERT_DEBUG=1 for details)\n');
    }
    return 1;
  }
}
