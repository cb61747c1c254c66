import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import {
  glueTask, inputError, loadTable, stratifiedSubset, type Dataset, type LabelSet, type MetricName,
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
}

async function readText(file: string, what: string): Promise<string> {
  const stat = await fsp.stat(file).catch(() => null);
  if (!stat?.isFile()) throw inputError(`${what} file not found`, { file: path.resolve(file) });
  return fsp.readFile(file, 'utf8');
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
      train = { file, examples: task.parse(await readText(file, `${task.name} training`), file), labels };
    }
    const devFile = path.join(taskDir, task.devFiles[0]);
    dev = { file: devFile, examples: task.parse(await readText(devFile, `${task.name} dev`), devFile), labels };
    metrics = task.metrics;
    mainMetric = task.mainMetric;
    name = task.name;
  } else {
    if (opts.needTrain && !args.trainFile) throw inputError('pass --task TASK --data DIR, or --train FILE --dev FILE with --text-column and --label-column');
    if (!args.devFile) throw inputError('pass a dev/evaluation file (--dev FILE, or --data FILE for eval)');
    if (!args.textColumn || !args.labelColumn) throw inputError('files need --text-column and --label-column (and --text-pair-column for pairs)');
    const columns = { textColumn: args.textColumn, textPairColumn: args.textPairColumn, labelColumn: args.labelColumn };
    let labels = opts.labels;
    if (opts.needTrain) {
      const file = args.trainFile!;
      const t = loadTable(await readText(file, 'training'), file, { format: formatOf(file, args.format), ...columns, labels, skipBadRows: args.skipBadRows });
      train = t.dataset;
      labels = t.dataset.labels;
      if (t.skipped.length) skipped.push({ file, count: t.skipped.length });
    }
    const file = args.devFile;
    const d = loadTable(await readText(file, 'dev'), file, { format: formatOf(file, args.format), ...columns, labels, skipBadRows: args.skipBadRows });
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
    train, dev, labels: (train ?? dev).labels, metrics, mainMetric, skipped,
    description: `${args.name ?? name} (${trainPart}${dev.examples.length} dev examples)`,
  };
}
