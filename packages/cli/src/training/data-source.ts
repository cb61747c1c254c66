import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import {
  decodeUtf8, describeInvalidUtf8, glueTask, inputError, loadTable, MixedLabelsError, stratifiedSubset,
  type Dataset, type LabelSet, type LoadResult, type MetricName, type TableOptions,
} from '@maxpoolbert/core';

/** Where training / evaluation data comes from, as given on the command line (saved for resume). */
export interface DataArgs {
  /** A GLUE task name, read from `<dataDir>/<TASK>/{train,dev}.tsv`. */
  task?: string;
  dataDir?: string;
  /** Or any CSV / TSV / JSONL files. */
  trainFile?: string;
  devFile?: string;
  format?: 'csv' | 'tsv' | 'jsonl';
  textColumn?: string;
  textPairColumn?: string;
  labelColumn?: string;
  /** Train on a seeded, label-stratified subset of this size. */
  trainLimit?: number;
  devLimit?: number;
  skipBadRows?: boolean;
  /**
   * The class labels in id order, as given to --labels (comma-separated): fixes the label set
   * instead of collecting it from the training file. A string, so saved settings compare as such.
   */
  labels?: string;
  /** Invalid UTF-8 in a data file is an error instead of being replaced (and reported). */
  strict?: boolean;
  /** What to call the data in reports (default: the task or the training file's name). */
  name?: string;
}

export interface LoadedData {
  train?: Dataset;
  dev: Dataset;
  labels: LabelSet;
  metrics: MetricName[];
  mainMetric: MetricName;
  /** Rows skipped with --skip-bad-rows, per file. */
  skipped: { file: string; count: number }[];
  /** A short description for reports, e.g. "SST-2 (4000 of 67349 train examples)". */
  description: string;
  /** One line each about what reading the files changed (invalid UTF-8 replaced), for a "note:". */
  notes: string[];
}

/**
 * A data file's text. Invalid UTF-8 is replaced with U+FFFD as any reader would, but counted:
 * `notes` gets one line naming the file, how much and the first line (with `strict`, an error).
 */
async function readText(file: string, what: string, strict: boolean | undefined, notes: string[]): Promise<string> {
  const stat = await fsp.stat(file).catch(() => null);
  if (!stat?.isFile()) throw inputError(`${what} file not found`, { file: path.resolve(file) });
  const { text, invalid } = decodeUtf8(await fsp.readFile(file), { file, strict });
  if (invalid) notes.push(`${describeInvalidUtf8(file, invalid)} (--strict makes this an error)`);
  return text;
}

/** loadTable, with the CLI's way to state a label set in the mixed-labels error. */
function loadFile(text: string, file: string, options: TableOptions): LoadResult {
  try {
    return loadTable(text, file, options);
  } catch (err) {
    if (!(err instanceof MixedLabelsError)) throw err;
    throw inputError(err.problem, {
      file: err.file,
      field: err.field,
      fix: `make the column use one kind of label, or, if these are ${err.labels.length} classes, state them in id order with --labels ${err.labels.join(',')}`,
    });
  }
}

/** --labels a,b,c as a label set. */
function labelSetFrom(labels: string | undefined): LabelSet | undefined {
  return labels === undefined ? undefined : { problemType: 'single_label_classification', names: labels.split(',') };
}

function formatOf(file: string, given?: string): 'csv' | 'tsv' | 'jsonl' {
  if (given) return given as 'csv' | 'tsv' | 'jsonl';
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv' || ext === '.txt') return 'tsv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw inputError(`cannot tell the format from the extension "${ext}"`, { file, fix: 'pass --format csv, tsv or jsonl' });
}

/**
 * Loads the training and dev data: a GLUE task in its original layout, or labelled files. The
 * dev set uses the training set's label mapping; `labels` (a trained model's) can impose one.
 */
export async function loadData(args: DataArgs, opts: { needTrain: boolean; seed: number; labels?: LabelSet }): Promise<LoadedData> {
  const skipped: LoadedData['skipped'] = [];
  const notes: string[] = [];
  const read = (file: string, what: string) => readText(file, what, args.strict, notes);
  let train: Dataset | undefined;
  let dev: Dataset;
  let metrics: MetricName[];
  let mainMetric: MetricName;
  let name: string;

  if (args.task) {
    if (!args.dataDir) throw inputError('--task needs --data DIR, the folder that holds <TASK>/train.tsv and dev.tsv');
    const task = glueTask(args.task);
    const taskDir = path.join(args.dataDir, task.name);
    const labels: LabelSet = task.labels === 'regression'
      ? { problemType: 'regression', names: ['score'] }
      : { problemType: 'single_label_classification', names: task.labels };
    if (opts.needTrain) {
      const file = path.join(taskDir, task.trainFile);
      train = { file, examples: task.parse(await read(file, `${task.name} training`), file), labels };
    }
    const devFile = path.join(taskDir, task.devFiles[0]);
    dev = { file: devFile, examples: task.parse(await read(devFile, `${task.name} dev`), devFile), labels };
    metrics = task.metrics;
    mainMetric = task.mainMetric;
    name = task.name;
  } else {
    if (opts.needTrain && !args.trainFile) throw inputError('pass --task TASK --data DIR, or --train FILE --dev FILE with --text-column and --label-column');
    if (!args.devFile) throw inputError('pass a dev/evaluation file (--dev FILE, or --data FILE for eval)');
    if (!args.textColumn || !args.labelColumn) throw inputError('files need --text-column and --label-column (and --text-pair-column for pairs)');
    const columns = { textColumn: args.textColumn, textPairColumn: args.textPairColumn, labelColumn: args.labelColumn };
    // A trained model's (or a resumed run's) labels win; else --labels; else the training file's.
    let labels = opts.labels ?? labelSetFrom(args.labels);
    if (opts.needTrain) {
      const file = args.trainFile!;
      const t = loadFile(await read(file, 'training'), file, { format: formatOf(file, args.format), ...columns, labels, skipBadRows: args.skipBadRows });
      train = t.dataset;
      labels = t.dataset.labels;
      if (t.skipped.length) skipped.push({ file, count: t.skipped.length });
    }
    const file = args.devFile;
    const d = loadFile(await read(file, 'dev'), file, { format: formatOf(file, args.format), ...columns, labels, skipBadRows: args.skipBadRows });
    dev = d.dataset;
    if (d.skipped.length) skipped.push({ file, count: d.skipped.length });
    const regression = dev.labels.problemType === 'regression';
    metrics = regression ? ['pearson', 'spearman', 'mse'] : dev.labels.names.length === 2 ? ['accuracy', 'f1', 'mcc'] : ['accuracy', 'mcc'];
    mainMetric = regression ? 'pearson' : 'accuracy';
    name = path.basename(args.trainFile ?? file);
  }

  const fullTrain = train?.examples.length ?? 0;
  if (train && args.trainLimit !== undefined && args.trainLimit < train.examples.length) {
    train = { ...train, examples: stratifiedSubset(train.examples, args.trainLimit, opts.seed) };
  }
  if (args.devLimit !== undefined && args.devLimit < dev.examples.length) {
    dev = { ...dev, examples: stratifiedSubset(dev.examples, args.devLimit, opts.seed) };
  }
  const trainPart = train ? (train.examples.length < fullTrain ? `${train.examples.length} of ${fullTrain}` : `${fullTrain}`) + ' train, ' : '';
  return {
    train, dev, labels: (train ?? dev).labels, metrics, mainMetric, skipped, notes,
    description: `${args.name ?? name} (${trainPart}${dev.examples.length} dev examples)`,
  };
}
