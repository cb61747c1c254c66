import * as fs from 'node:fs';
import * as path from 'node:path';
import { GLUE_TASKS, glueTask, quoteInput, type GlueTask } from '@maxpoolbert/core';
import { UsageError } from '../command.js';
import type { DataArgs } from './data-source.js';

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
