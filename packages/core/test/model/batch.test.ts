// toBatch / disposeBatch: padding layout, dtypes and tensor bookkeeping.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { disposeBatch, toBatch, type EncodedInput } from '../../src/model/batch.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const rows: EncodedInput[] = [
  { inputIds: [101, 7, 8, 102], tokenTypeIds: [0, 0, 0, 0] },
  { inputIds: [101, 5, 102, 9, 10, 102], tokenTypeIds: [0, 0, 0, 1, 1, 1] },
  { inputIds: [101, 102], tokenTypeIds: [0, 1] },
];

describe('toBatch', () => {
  it('pads every row to the longest with padId, token type 0 and mask 0', async () => {
    const batch = toBatch(rows, 77);
    expect(batch.inputIds.shape).toEqual([3, 6]);
    expect(batch.tokenTypeIds.shape).toEqual([3, 6]);
    expect(batch.attentionMask.shape).toEqual([3, 6]);
    expect(await batch.inputIds.array()).toEqual([
      [101, 7, 8, 102, 77, 77],
      [101, 5, 102, 9, 10, 102],
      [101, 102, 77, 77, 77, 77],
    ]);
    expect(await batch.tokenTypeIds.array()).toEqual([
      [0, 0, 0, 0, 0, 0],
      [0, 0, 0, 1, 1, 1],
      [0, 1, 0, 0, 0, 0],
    ]);
    // No mask given: 1 over each row's own length.
    expect(await batch.attentionMask.array()).toEqual([
      [1, 1, 1, 1, 0, 0],
      [1, 1, 1, 1, 1, 1],
      [1, 1, 0, 0, 0, 0],
    ]);
    disposeBatch(batch);
  });

  it('makes int32 tensors', () => {
    const batch = toBatch(rows, 0);
    expect(batch.inputIds.dtype).toBe('int32');
    expect(batch.tokenTypeIds.dtype).toBe('int32');
    expect(batch.attentionMask.dtype).toBe('int32');
    disposeBatch(batch);
  });

  it('keeps a given attention mask (e.g. rows the tokenizer already padded)', async () => {
    const batch = toBatch(
      [
        { inputIds: [101, 7, 102, 0, 0], tokenTypeIds: [0, 0, 0, 0, 0], attentionMask: [1, 1, 1, 0, 0] },
        { inputIds: [101, 102], tokenTypeIds: [0, 0], attentionMask: [1, 1] },
      ],
      0,
    );
    expect(await batch.attentionMask.array()).toEqual([
      [1, 1, 1, 0, 0],
      [1, 1, 0, 0, 0],
    ]);
    expect(await batch.inputIds.array()).toEqual([
      [101, 7, 102, 0, 0],
      [101, 102, 0, 0, 0],
    ]);
    disposeBatch(batch);
  });

  it('a single row is not padded', async () => {
    const batch = toBatch([rows[0]!], 3);
    expect(await batch.inputIds.array()).toEqual([[101, 7, 8, 102]]);
    expect(await batch.attentionMask.array()).toEqual([[1, 1, 1, 1]]);
    disposeBatch(batch);
  });

  it('rejects an empty batch', () => {
    expect(() => toBatch([], 0)).toThrow(/at least one row/);
  });
});

describe('disposeBatch', () => {
  it('frees exactly what toBatch made', () => {
    const before = tf.memory().numTensors;
    const batch = toBatch(rows, 0);
    expect(tf.memory().numTensors).toBe(before + 3);
    disposeBatch(batch);
    expect(tf.memory().numTensors).toBe(before);
    expect(batch.inputIds.isDisposed).toBe(true);
    expect(batch.tokenTypeIds.isDisposed).toBe(true);
    expect(batch.attentionMask.isDisposed).toBe(true);
  });
});
