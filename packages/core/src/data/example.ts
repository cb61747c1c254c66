import type { LabelSet } from '../model/labels.js';

/** One labelled text (or text pair) read from a data file. */
export interface Example {
  text: string;
  /** The second text of a pair task (e.g. MRPC, MNLI). */
  textPair?: string;
  /** The class id (index into `Dataset.labels.names`), or the value for regression. */
  label: number;
  /** The 1-based line of the file the example starts on. */
  line: number;
}

/** The examples of one file with the label set that gives their ids meaning. */
export interface Dataset {
  file: string;
  examples: Example[];
  labels: LabelSet;
}

/** A row left out by a loader running with `skipBadRows`. */
export interface SkippedRow {
  line: number;
  reason: string;
}

/** A loader's result: the dataset plus the rows it left out (always empty without skipBadRows). */
export interface LoadResult {
  dataset: Dataset;
  skipped: SkippedRow[];
}
