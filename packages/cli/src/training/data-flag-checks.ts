import * as fs from 'node:fs';
import * as path from 'node:path';
import { GLUE_TASKS, glueTask, MIN_PAIR_MAX_LENGTH, quoteInput, type GlueTask } from '@maxpoolbert/core';
import { stringOption, UsageError, type ParsedOptions } from '../command.js';
import type { DataArgs } from './data-source.js';

// The data flags of train, eval and compare, checked before anything is read or created: flags
// that are missing (checkDataFlags) and flags that do not go together (checkDataFlagMix) are
// usage errors (exit 2) that say which flag to pass or drop.

/** Flags that describe --train/--dev files; a GLUE task has its own columns and labels. */
const FILE_FLAGS = ['text-column', 'text-pair-column', 'label-column', 'format', 'labels'] as const;

/**
 * Refuses data flags that do not go together, as given on the command line (exit 2, before
 * anything is read). Each of these used to be ignored without a word: `--task` with
 * `--train/--dev` trained on the task, `--data DIR` without `--task` was dropped, and one
 * column named as both text and label trained the model on its own labels.
 */
export function checkDataFlagMix(opts: ParsedOptions, forEval: boolean): void {
  const given = (key: string) => opts[key] !== undefined && opts[key] !== false;
  if (given('task')) {
    const files = ['train', 'dev'].filter(given);
    if (files.length) {
      throw new UsageError(
        `--task reads DATA/<TASK>/train.tsv and dev.tsv, so ${files.map((f) => `--${f}`).join(' and ')} would be ignored: ` +
          'drop them to train on the task, or drop --task and --data to use your files',
      );
    }
    const fileFlags = FILE_FLAGS.filter(given);
    if (fileFlags.length) {
      throw new UsageError(
        `${fileFlags.map((f) => `--${f}`).join(', ')} describe${fileFlags.length === 1 ? 's' : ''} --train/--dev files; ` +
          'a GLUE task (--task) has its own columns and labels: drop them, or drop --task',
      );
    }
  } else if (!forEval && given('data')) {
    throw new UsageError('--data DIR is read only with --task TASK (DIR/<TASK>/train.tsv and dev.tsv): add --task, or pass your files as --train FILE --dev FILE');
  }
  refuseShortPairs(opts);
  const columns = [
    ['text-column', 'label-column'],
    ['text-pair-column', 'label-column'],
    ['text-column', 'text-pair-column'],
  ] as const;
  for (const [a, b] of columns) {
    const va = stringOption(opts, a);
    if (va !== undefined && va.trim() === stringOption(opts, b)?.trim()) {
      throw new UsageError(
        b === 'label-column'
          ? `--${a} and --${b} name the same column (${quoteInput(va)}): the model would learn to read the label off its input; pass the column that holds the text`
          : `--${a} and --${b} name the same column (${quoteInput(va)}): a pair's two texts come from two columns`,
      );
    }
  }
}

/**
 * A pair (a pair GLUE task, or --text-pair-column) with a --max-length below 5 would lose one of
 * its texts entirely in truncation; known from the flags, so refused before the data is read.
 */
function refuseShortPairs(opts: ParsedOptions): void {
  const maxLength = Number(stringOption(opts, 'max-length'));
  if (!(maxLength < MIN_PAIR_MAX_LENGTH)) return;
  const task = stringOption(opts, 'task');
  let glue: GlueTask | undefined;
  try {
    glue = task === undefined ? undefined : glueTask(task);
  } catch {
    // an unknown task is refused by its own check
  }
  const pairs = stringOption(opts, 'text-pair-column') !== undefined ? '--text-pair-column' : glue?.pair ? `--task ${glue.name}` : undefined;
  if (pairs) {
    throw new UsageError(
      `--max-length ${maxLength} cannot hold a token of both texts of a pair (${pairs}; [CLS] A [SEP] B [SEP] takes 3): ` +
        `the smallest usable value for pairs is ${MIN_PAIR_MAX_LENGTH}`,
    );
  }
}

/**
 * `--labels a,b,c`: the class labels in id order, checked (no empty or repeated name, at least
 * two) and returned as "a,b,c" (spaces around names dropped), or undefined when not given.
 */
export function labelsOption(opts: ParsedOptions): string | undefined {
  const raw = stringOption(opts, 'labels');
  if (raw === undefined) return undefined;
  const names = raw.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) throw new UsageError(`--labels ${quoteInput(raw)} has an empty label name: give the labels comma-separated, e.g. --labels negative,positive`);
  const twice = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (twice.length) throw new UsageError(`--labels names ${twice.map((n) => quoteInput(n)).join(', ')} more than once: name each label once, in id order`);
  if (names.length < 2) throw new UsageError(`--labels ${quoteInput(raw)} names one label: a classifier needs at least two`);
  return names.join(',');
}

/**
 * Checks that the data flags of train, eval and compare go together, before anything is read
 * or created: a missing or misplaced flag is a usage error (exit 2) that says which flag to
 * pass. loadData repeats the basic checks for callers that build DataArgs themselves (a
 * resumed run's saved arguments, a library user), where they are data errors.
 */
export function checkDataFlags(args: DataArgs, o: { needTrain: boolean }): void {
  if (args.task) {
    const task = knownTask(args.task);
    if (!args.dataDir) throw new UsageError(`--task ${task.name} needs --data DIR, the folder that holds ${task.name}/${task.trainFile} and ${task.devFiles[0]}`);
    refuseTaskFolder(task, args.dataDir);
    return;
  }
  if (o.needTrain && !args.trainFile) {
    throw new UsageError(args.devFile
      ? '--dev needs --train FILE, the training file (same format and columns)'
      : 'pass --task TASK --data DIR, or --train FILE --dev FILE with --text-column and --label-column');
  }
  if (!args.devFile) {
    throw new UsageError(o.needTrain
      ? '--train needs --dev FILE, the file to evaluate on (same format and columns)'
      : 'pass the file to score as --data FILE (with --text-column and --label-column), or --task TASK --data DIR');
  }
  const missing = [!args.textColumn && '--text-column COL (the text)', !args.labelColumn && '--label-column COL (the label)'].filter(Boolean);
  if (missing.length) {
    throw new UsageError(`data files need ${missing.join(' and ')}, each a header name or 0-based index; --text-pair-column for pairs`);
  }
}

function knownTask(name: string): GlueTask {
  try {
    return glueTask(name);
  } catch {
    throw new UsageError(`--task ${quoteInput(name)} is not a GLUE task (use one of ${Object.keys(GLUE_TASKS).join(', ')})`);
  }
}

/** `--data glue/SST-2` where `--data glue` is meant: the task's files are in the folder itself. */
function refuseTaskFolder(task: GlueTask, dataDir: string): void {
  const exists = (p: string) => fs.existsSync(p);
  if (exists(path.join(dataDir, task.name))) return;
  const own = [task.trainFile, ...task.devFiles].find((f) => exists(path.join(dataDir, f)));
  if (own) {
    throw new UsageError(`--data ${dataDir} holds ${own} itself: pass the parent folder (--data ${path.dirname(dataDir)}), which holds ${task.name}/${own}`);
  }
}
