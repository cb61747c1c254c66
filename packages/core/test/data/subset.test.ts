import * as fs from 'node:fs';
import * as path from 'node:path';
import { GLUE_DIR } from '../../../../testing/shared-fixtures';
import { glueTask } from '../../src/data/glue';
import { allocate, stratifiedSubset, stratifiedSubsetIndices } from '../../src/data/subset';
import type { Example } from '../../src/data/example';

const make = (labels: number[]): Example[] => labels.map((label, i) => ({ text: `t${i}`, label, line: i + 1 }));
const countBy = (xs: Example[]) => {
  const m: Record<number, number> = {};
  for (const x of xs) m[x.label] = (m[x.label] ?? 0) + 1;
  return m;
};

describe('allocate (largest remainder)', () => {
  it('splits proportionally', () => {
    expect(allocate([60, 30, 10], 10)).toEqual([6, 3, 1]);
    // exact 4.2, 2.1, 0.7 -> floors 4,2,0, one left goes to the largest remainder (0.7).
    expect(allocate([60, 30, 10], 7)).toEqual([4, 2, 1]);
    // exact 3.3, 3.3, 3.3 (sum 10): one extra, tie -> earliest.
    expect(allocate([1, 1, 1], 10).reduce((a, b) => a + b, 0)).toBe(10);
    expect(allocate([100, 100, 100], 10)).toEqual([4, 3, 3]);
  });

  it('every stratum keeps at least one when n allows', () => {
    expect(allocate([990, 5, 5], 3)).toEqual([1, 1, 1]);
    expect(allocate([990, 5, 5], 10)).toEqual([8, 1, 1]);
    // n smaller than the number of strata: plain proportions.
    expect(allocate([990, 5, 5], 2)).toEqual([2, 0, 0]);
  });
});

describe('stratifiedSubset', () => {
  const examples = make([...Array(700).fill(0), ...Array(200).fill(1), ...Array(100).fill(2)]);

  it('keeps label proportions', () => {
    const sub = stratifiedSubset(examples, 100, 42);
    expect(sub).toHaveLength(100);
    expect(countBy(sub)).toEqual({ 0: 70, 1: 20, 2: 10 });
    expect(new Set(sub).size).toBe(100);
    expect(countBy(stratifiedSubset(examples, 33, 1))).toEqual({ 0: 23, 1: 7, 2: 3 }); // 23.1, 6.6, 3.3
  });

  it('is deterministic for a seed, differs between seeds, and is shuffled', () => {
    const a = stratifiedSubsetIndices(examples, 50, 7);
    expect(stratifiedSubsetIndices(examples, 50, 7)).toEqual(a);
    const b = stratifiedSubsetIndices(examples, 50, 8);
    expect(b).not.toEqual(a);
    expect([...a].sort((x, y) => x - y)).not.toEqual(a); // not in file order
    // Different seeds pick different members, not just a different order.
    expect(new Set(a)).not.toEqual(new Set(b));
  });

  it('keeps a rare label when n is at least the number of labels', () => {
    const skewed = make([...Array(998).fill(0), 1, 2]);
    expect(countBy(stratifiedSubset(skewed, 3, 0))).toEqual({ 0: 1, 1: 1, 2: 1 });
    expect(countBy(stratifiedSubset(skewed, 10, 0))).toEqual({ 0: 8, 1: 1, 2: 1 });
  });

  it('n >= size returns every example, shuffled; n = 0 returns none', () => {
    const small = make([0, 1, 0, 1, 1]);
    const all = stratifiedSubsetIndices(small, 99, 3);
    expect([...all].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(stratifiedSubset(small, 0, 3)).toEqual([]);
    expect(() => stratifiedSubset(small, 1.5, 3)).toThrow(/subset size 1.5/);
  });

  it('regression: stratifies by quantile bins', () => {
    // 100 values 0.00 .. 0.99 plus 100 values 10.00 .. 10.99: 5 bins of 40.
    const values = [...Array.from({ length: 100 }, (_, i) => i / 100), ...Array.from({ length: 100 }, (_, i) => 10 + i / 100)];
    const ex = make(values);
    const sub = stratifiedSubset(ex, 20, 5);
    expect(sub).toHaveLength(20);
    expect(sub.filter((e) => e.label < 10)).toHaveLength(10);
    // Each quantile bin (40 values) contributes 4.
    const sorted = [...values].sort((a, b) => a - b);
    for (let b = 0; b < 5; b++) {
      const lo = sorted[b * 40];
      const hi = sorted[b * 40 + 39];
      expect(sub.filter((e) => e.label >= lo && e.label <= hi)).toHaveLength(4);
    }
    expect(stratifiedSubset(ex, 20, 5)).toEqual(sub);
  });

  it('real SST-2 dev: a 100-example subset keeps the class balance', () => {
    const file = path.join(GLUE_DIR, 'SST-2', 'dev.tsv');
    const dev = glueTask('sst2').parse(fs.readFileSync(file, 'utf8'), file);
    const full = countBy(dev);
    const sub = countBy(stratifiedSubset(dev, 100, 1));
    expect(sub[0] + sub[1]).toBe(100);
    expect(Math.abs(sub[1] - (100 * full[1]) / dev.length)).toBeLessThan(1);
  });
});
