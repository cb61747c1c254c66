import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from './types.js';

/** One tokenised input, as the tokenizer returns it (padded or not). */
export interface EncodedInput {
  inputIds: number[];
  tokenTypeIds: number[];
  attentionMask?: number[];
}

/**
 * Stacks encodings into int32 tensors [B, T], padding each row to the batch's longest with
 * `padId`, token type 0 and mask 0. The caller disposes the batch (see `disposeBatch`).
 */
export function toBatch(rows: EncodedInput[], padId: number): Batch {
  if (rows.length === 0) throw new Error('toBatch: a batch needs at least one row');
  const B = rows.length;
  const T = Math.max(...rows.map((r) => r.inputIds.length));
  const ids = new Int32Array(B * T).fill(padId);
  const types = new Int32Array(B * T);
  const mask = new Int32Array(B * T);
  rows.forEach((row, b) => {
    const offset = b * T;
    ids.set(row.inputIds, offset);
    types.set(row.tokenTypeIds, offset);
    if (row.attentionMask) mask.set(row.attentionMask, offset);
    else mask.fill(1, offset, offset + row.inputIds.length);
  });
  return {
    inputIds: tf.tensor2d(ids, [B, T], 'int32'),
    tokenTypeIds: tf.tensor2d(types, [B, T], 'int32'),
    attentionMask: tf.tensor2d(mask, [B, T], 'int32'),
  };
}

export function disposeBatch(batch: Batch): void {
  tf.dispose([batch.inputIds, batch.tokenTypeIds, batch.attentionMask]);
}
