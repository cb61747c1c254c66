import { inputError } from '../errors.js';

export type ProblemType = 'single_label_classification' | 'regression';

/** What a classifier predicts: label names by id, or one regression score. */
export interface LabelSet {
  problemType: ProblemType;
  /** Label names by id; for regression a single name (unused). */
  names: string[];
}

export function numLabels(labels: LabelSet): number {
  return labels.problemType === 'regression' ? 1 : labels.names.length;
}

/** Hugging Face's default names when a config has none. */
export function defaultLabels(n: number): LabelSet {
  if (n === 1) return { problemType: 'regression', names: ['LABEL_0'] };
  return { problemType: 'single_label_classification', names: Array.from({ length: n }, (_, i) => `LABEL_${i}`) };
}

/** Reads labels from config.json's `id2label` / `num_labels` / `problem_type`. */
export function labelsFromConfig(extra: Record<string, unknown>, file: string): LabelSet | null {
  const id2label = extra.id2label as Record<string, unknown> | undefined;
  const declared = extra.num_labels;
  const problem = extra.problem_type;
  if (problem !== undefined && problem !== null && problem !== 'single_label_classification' && problem !== 'regression') {
    throw inputError(`"${String(problem)}" is not supported`, { file, field: 'problem_type', fix: 'use single_label_classification or regression' });
  }
  let names: string[] | null = null;
  if (id2label && typeof id2label === 'object') {
    const n = Object.keys(id2label).length;
    names = Array.from({ length: n }, (_, i) => {
      const name = id2label[String(i)];
      if (typeof name !== 'string') throw inputError(`missing or non-string label for id ${i}`, { file, field: 'id2label', fix: 'ids must run 0..n-1' });
      return name;
    });
  }
  if (declared !== undefined && declared !== null) {
    if (!Number.isInteger(declared) || (declared as number) < 1) throw inputError('must be an integer >= 1', { file, field: 'num_labels' });
    if (names && names.length !== declared && !(declared === 1 && problem === 'regression')) {
      throw inputError(`num_labels is ${declared} but id2label has ${names.length} labels`, { file, field: 'num_labels' });
    }
  }
  const n = names?.length ?? (declared as number | undefined);
  if (n === undefined) return null;
  if (problem === 'regression' || (n === 1 && problem === undefined)) return { problemType: 'regression', names: names ?? ['LABEL_0'] };
  return { problemType: 'single_label_classification', names: names ?? defaultLabels(n).names };
}

/** The Hugging Face config.json fields for a label set. */
export function labelsToConfig(labels: LabelSet): Record<string, unknown> {
  const id2label = Object.fromEntries(labels.names.map((name, i) => [String(i), name]));
  const label2id = Object.fromEntries(labels.names.map((name, i) => [name, i]));
  return { num_labels: numLabels(labels), id2label, label2id, problem_type: labels.problemType };
}
