import { inputError } from '../errors.js';

/** Checks that predictions and labels are non-empty arrays of the same length. */
export function checkPaired(predictions: ArrayLike<number>, labels: ArrayLike<number>, what: string): void {
  if (predictions.length !== labels.length) {
    throw inputError(`${predictions.length} predictions but ${labels.length} labels`, {
      field: what,
      fix: 'pass one prediction per example',
    });
  }
  if (predictions.length === 0) {
    throw inputError('no predictions', { field: what, fix: 'evaluate on at least one example' });
  }
}

/** Checks that values are whole numbers >= 0 (class ids). */
export function checkClassIds(values: ArrayLike<number>, name: string, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0) {
      throw inputError(`${name}[${i}] is ${v}, not a class id`, { field: what, fix: 'pass class ids (whole numbers >= 0), e.g. the argmax of the logits' });
    }
  }
}
