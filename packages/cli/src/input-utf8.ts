import { describeInvalidUtf8 } from '@maxpoolbert/core';
import type { CliIo, OptionSpec, ParsedOptions } from './command.js';
import type { ReadJsonlOptions } from './jsonl.js';

/** `--strict` of the commands that read an input JSONL (predict, embed, tokenize). */
export const STRICT_INPUT_OPTION: OptionSpec = {
  type: 'boolean',
  description: 'invalid UTF-8 in the input is an error (default: replaced with U+FFFD and reported)',
};

/**
 * How a command reads its input's bytes: invalid UTF-8 is replaced and reported in one note
 * line (the same for every command, as training data), or refused with `--strict`.
 */
export function inputUtf8Options(opts: ParsedOptions, input: string, io: CliIo): ReadJsonlOptions {
  return {
    strict: opts.strict === true,
    onInvalidUtf8: (invalid) => io.stderr(`note: ${describeInvalidUtf8(input, invalid)} (--strict makes this an error)\n`),
  };
}
