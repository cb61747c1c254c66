import { inputError } from '../errors.js';
import type { LabelSet } from '../model/labels.js';
import type { MetricName } from '../metrics/index.js';
import type { Example, LoadResult } from './example.js';
import { loadTable, type ColumnRef } from './table.js';

export interface GlueParseOptions {
  /** Leave bad rows out (listed in `skipped` by `loadGlueFile`) instead of failing on the first. */
  skipBadRows?: boolean;
}

/**
 * Where a task's columns are in its TSV files. Follows Hugging Face transformers' GLUE processors
 * (transformers/data/processors/glue.py): CoLA has no header and is read by index (label 1,
 * sentence 3); the others are read by the header names of the columns the processors index
 * (MRPC 3/4/0 = "#1 String"/"#2 String"/Quality, QQP 3/4/5 = question1/question2/is_duplicate,
 * MNLI 8/9/last = sentence1/sentence2/gold_label, STS-B 7/8/last = sentence1/sentence2/score,
 * QNLI 1/2/last = question/sentence/label, RTE and WNLI 1/2/last = sentence1/sentence2/label).
 */
export interface GlueColumns {
  header: boolean;
  text: ColumnRef;
  textPair?: ColumnRef;
  label: ColumnRef;
  /** Allowed range of a regression value (STS-B: 0..5). */
  valueRange?: [number, number];
}

/** One GLUE task in the original GLUE distribution's layout (`<dir>/<name>/{train,dev}.tsv`). */
export interface GlueTask {
  /** The task's folder name in the GLUE distribution, e.g. "SST-2". */
  name: string;
  trainFile: string;
  /** Labelled dev files; MNLI has two (matched, mismatched). */
  devFiles: string[];
  /** Label names in id order (as the HF processors' get_labels), or 'regression'. */
  labels: string[] | 'regression';
  /** The same labels as a LabelSet, for model configs. */
  labelSet: LabelSet;
  /** Whether examples are sentence pairs. */
  pair: boolean;
  columns: GlueColumns;
  metrics: MetricName[];
  mainMetric: MetricName;
  /** Parses one of the task's TSV files; `file` names it in errors. */
  parse(text: string, file: string, options?: GlueParseOptions): Example[];
}

function makeTask(spec: {
  name: string;
  devFiles?: string[];
  labels: string[] | 'regression';
  metrics: MetricName[];
  columns: GlueColumns;
}): GlueTask {
  const labelSet: LabelSet =
    spec.labels === 'regression'
      ? { problemType: 'regression', names: ['LABEL_0'] }
      : { problemType: 'single_label_classification', names: [...spec.labels] };
  const task: GlueTask = {
    name: spec.name,
    trainFile: 'train.tsv',
    devFiles: spec.devFiles ?? ['dev.tsv'],
    labels: spec.labels,
    labelSet,
    pair: spec.columns.textPair !== undefined,
    columns: spec.columns,
    metrics: spec.metrics,
    mainMetric: spec.metrics[0],
    parse: (text, file, options) => loadGlueFile(task, text, file, options).dataset.examples,
  };
  return task;
}

/** The nine GLUE tasks, keyed by their folder names. The first metric is the main one. */
export const GLUE_TASKS: Record<string, GlueTask> = {
  CoLA: makeTask({
    name: 'CoLA',
    labels: ['0', '1'],
    metrics: ['mcc'],
    // No header: source, label, original-label marker, sentence.
    columns: { header: false, text: 3, label: 1 },
  }),
  'SST-2': makeTask({
    name: 'SST-2',
    labels: ['0', '1'],
    metrics: ['accuracy'],
    columns: { header: true, text: 'sentence', label: 'label' },
  }),
  MRPC: makeTask({
    name: 'MRPC',
    labels: ['0', '1'],
    metrics: ['f1', 'accuracy'],
    columns: { header: true, text: '#1 String', textPair: '#2 String', label: 'Quality' },
  }),
  QQP: makeTask({
    name: 'QQP',
    labels: ['0', '1'],
    metrics: ['f1', 'accuracy'],
    columns: { header: true, text: 'question1', textPair: 'question2', label: 'is_duplicate' },
  }),
  'STS-B': makeTask({
    name: 'STS-B',
    labels: 'regression',
    metrics: ['pearson', 'spearman'],
    columns: { header: true, text: 'sentence1', textPair: 'sentence2', label: 'score', valueRange: [0, 5] },
  }),
  MNLI: makeTask({
    name: 'MNLI',
    devFiles: ['dev_matched.tsv', 'dev_mismatched.tsv'],
    labels: ['contradiction', 'entailment', 'neutral'],
    metrics: ['accuracy'],
    columns: { header: true, text: 'sentence1', textPair: 'sentence2', label: 'gold_label' },
  }),
  QNLI: makeTask({
    name: 'QNLI',
    labels: ['entailment', 'not_entailment'],
    metrics: ['accuracy'],
    columns: { header: true, text: 'question', textPair: 'sentence', label: 'label' },
  }),
  RTE: makeTask({
    name: 'RTE',
    labels: ['entailment', 'not_entailment'],
    metrics: ['accuracy'],
    columns: { header: true, text: 'sentence1', textPair: 'sentence2', label: 'label' },
  }),
  WNLI: makeTask({
    name: 'WNLI',
    labels: ['0', '1'],
    metrics: ['accuracy'],
    columns: { header: true, text: 'sentence1', textPair: 'sentence2', label: 'label' },
  }),
};

const normalize = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Looks a task up by name, ignoring case and punctuation ("sst2", "SST-2", "sts-b", "mnli"). */
export function glueTask(name: string): GlueTask {
  const key = normalize(name);
  const task = Object.values(GLUE_TASKS).find((t) => normalize(t.name) === key);
  if (!task) {
    throw inputError(`unknown GLUE task "${name}"`, {
      field: 'task',
      fix: `use one of ${Object.keys(GLUE_TASKS).join(', ')}`,
    });
  }
  return task;
}

/**
 * Parses one of a GLUE task's TSV files (read as GLUE is: no quote handling, optional BOM) into a
 * Dataset whose label ids follow the task's label order.
 */
export function loadGlueFile(task: GlueTask | string, text: string, file: string, options: GlueParseOptions = {}): LoadResult {
  const t = typeof task === 'string' ? glueTask(task) : task;
  const c = t.columns;
  return loadTable(text, file, {
    format: 'tsv',
    quoting: false,
    header: c.header,
    textColumn: c.text,
    textPairColumn: c.textPair,
    labelColumn: c.label,
    labels: t.labelSet,
    valueRange: c.valueRange,
    skipBadRows: options.skipBadRows,
  });
}
