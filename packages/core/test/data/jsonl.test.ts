import { parseJsonl } from '../../src/data/jsonl';

describe('parseJsonl', () => {
  it('reads one object per line with line numbers, skipping blank lines', () => {
    const rows = parseJsonl('\uFEFF{"text":"a","label":"x"}\r\n\n   \n{"text":"b \\"q\\"","label":1}\n', 'd.jsonl');
    expect(rows).toEqual([
      { line: 1, value: { text: 'a', label: 'x' } },
      { line: 4, value: { text: 'b "q"', label: 1 } },
    ]);
  });

  it('a malformed line is an error naming the file and line', () => {
    expect(() => parseJsonl('{"a":1}\n{"a":\n', 'd.jsonl')).toThrow(/^d\.jsonl: line 2: not valid JSON/);
    expect(() => parseJsonl('{"a":1}\n\n[1,2]\n', 'd.jsonl')).toThrow(/^d\.jsonl: line 3: expected a JSON object, got an array \(write one JSON object per line/);
    expect(() => parseJsonl('"str"', 'd.jsonl')).toThrow(/line 1: expected a JSON object, got string/);
    expect(() => parseJsonl('null', 'd.jsonl')).toThrow(/line 1: expected a JSON object, got null/);
  });

  it('with onBadLine, bad lines are reported and left out', () => {
    const bad: [number, string][] = [];
    const rows = parseJsonl('{"a":1}\nnope\n{"a":2}\n', 'd.jsonl', { onBadLine: (line, reason) => bad.push([line, reason]) });
    expect(rows.map((r) => r.line)).toEqual([1, 3]);
    expect(bad.map((b) => b[0])).toEqual([2]);
    expect(bad[0][1]).toMatch(/not valid JSON/);
  });
});
