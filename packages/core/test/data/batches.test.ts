import * as fs from 'node:fs';
import * as path from 'node:path';
import { GLUE_DIR } from '../../../../testing/shared-fixtures';
import { makeBatches, paddingCost, wordCount } from '../../src/data/batches';
import { glueTask } from '../../src/data/glue';
import type { Example } from '../../src/data/example';

const make = (n: number): Example[] => Array.from({ length: n }, (_, i) => ({ text: 'w '.repeat((i * 7919) % 37 + 1), label: i % 2, line: i + 1 }));

function expectEachOnce(batches: number[][], n: number) {
  const seen = batches.flat().sort((a, b) => a - b);
  expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
}

describe('makeBatches', () => {
  it('without a seed keeps order; the last batch is the remainder', () => {
    expect(makeBatches(make(10), 4)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(makeBatches([], 4)).toEqual([]);
    expect(() => makeBatches(make(3), 0)).toThrow(/batch size 0/);
  });

  it('shuffles per seed: every index once, deterministic, differs between seeds', () => {
    const ex = make(1001);
    const a = makeBatches(ex, 32, { shuffleSeed: 1 });
    expectEachOnce(a, 1001);
    expect(a.map((b) => b.length).filter((l) => l !== 32)).toEqual([1001 % 32]);
    expect(makeBatches(ex, 32, { shuffleSeed: 1 })).toEqual(a);
    expect(makeBatches(ex, 32, { shuffleSeed: 2 })).not.toEqual(a);
    expect(a.flat()).not.toEqual(Array.from({ length: 1001 }, (_, i) => i));
  });

  it('length bucketing: every index once, deterministic, sizes kept', () => {
    const ex = make(5000);
    for (const seed of [undefined, 3]) {
      const a = makeBatches(ex, 16, { shuffleSeed: seed, lengthBucketing: true, bucketChunk: 10 });
      expectEachOnce(a, 5000);
      expect(a.filter((b) => b.length !== 16).map((b) => b.length)).toEqual([5000 % 16]);
      expect(makeBatches(ex, 16, { shuffleSeed: seed, lengthBucketing: true, bucketChunk: 10 })).toEqual(a);
    }
    const byLen = makeBatches(ex, 16, { lengthBucketing: true, lengthOf: (e) => e.line % 5 });
    expectEachOnce(byLen, 5000);
  });

  it('wordCount counts whitespace tokens of text and pair', () => {
    expect(wordCount({ text: '  a b\tc ', textPair: 'd  e' })).toBe(5);
    expect(wordCount({ text: 'x' })).toBe(1);
  });

  it('on SST-2 train lengths, bucketing cuts padding well below unbucketed batches', () => {
    const file = path.join(GLUE_DIR, 'SST-2', 'train.tsv');
    const train = glueTask('SST-2').parse(fs.readFileSync(file, 'utf8'), file);
    const lengths = train.map((e) => wordCount(e));
    const plain = makeBatches(train, 32, { shuffleSeed: 0 });
    const bucketed = makeBatches(train, 32, { shuffleSeed: 0, lengthBucketing: true, lengthOf: (e) => wordCount(e) });
    expectEachOnce(bucketed, train.length);
    const plainPad = paddingCost(plain, lengths);
    const bucketPad = paddingCost(bucketed, lengths);
    expect(bucketPad).toBeLessThan(plainPad * 0.2);
    // Batch order is still shuffled: not sorted by length overall.
    const maxLens = bucketed.map((b) => Math.max(...b.map((i) => lengths[i])));
    expect([...maxLens].sort((a, b) => a - b)).not.toEqual(maxLens);
  });

  it('paddingCost', () => {
    expect(paddingCost([[0, 1], [2]], [3, 5, 4])).toBe(2);
  });
});
