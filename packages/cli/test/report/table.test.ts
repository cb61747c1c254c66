import { formatDuration, formatMeanStd, formatTable } from '../../src/report/table';

describe('formatTable', () => {
  it('pads columns to fixed widths, two spaces apart, with a dashed line under the header', () => {
    const out = formatTable(
      ['head', 'accuracy', 'steps'],
      [
        ['cls', '83.12 ± 1.07', 750],
        ['max-seq-2', '85.50 ± 0.75', 12000],
      ],
    );
    expect(out).toBe(
      [
        'head       accuracy      steps',
        '---------  ------------  -----',
        'cls        83.12 ± 1.07    750',
        'max-seq-2  85.50 ± 0.75  12000',
      ].join('\n'),
    );
  });

  it('right-aligns all-number columns by default and follows `align` when given', () => {
    const rows = [
      ['a', 1.5],
      ['bbb', 10],
    ];
    expect(formatTable(['x', 'n'], rows).split('\n')).toEqual(['x      n', '---  ---', 'a    1.5', 'bbb   10']);
    expect(formatTable(['x', 'n'], rows, { align: ['right', 'left'] }).split('\n')).toEqual(['  x  n', '---  ---', '  a  1.5', 'bbb  10']);
  });

  it('keeps every line of equal layout: columns line up whatever the cell widths', () => {
    const out = formatTable(['metric', 'value'], [['mcc', -0.0412], ['a much longer metric name', 0.5]]);
    const lines = out.split('\n');
    const start = lines[1].indexOf('  -') + 2;
    expect(lines[0].slice(start)).toMatch(/^\s*value$/);
    for (const l of lines.slice(2)) expect(l.length).toBe(lines[1].length);
  });

  it('prints non-finite numbers as n/a, fills short rows, and leaves no trailing spaces', () => {
    const out = formatTable(['a', 'b', 'c'], [[NaN, 'x'], ['long text', 'y', 3]]);
    const lines = out.split('\n');
    expect(lines[2]).toBe('n/a        x');
    expect(lines.every((l) => l === l.trimEnd())).toBe(true);
  });

  it('counts "±" and other non-ASCII as one column', () => {
    const out = formatTable(['v'], [['1 ± 2'], ['12345']]);
    expect(out.split('\n').slice(2).map((l) => [...l].length)).toEqual([5, 5]);
  });

  it('handles a header-only table', () => {
    expect(formatTable(['a', 'bb'], [])).toBe('a  bb\n-  --');
  });
});

describe('formatMeanStd', () => {
  it('prints mean ± std at the given digits', () => {
    expect(formatMeanStd(83.1234, 1.0666)).toBe('83.12 ± 1.07');
    expect(formatMeanStd(0.71234, 0.01234, 3)).toBe('0.712 ± 0.012');
    expect(formatMeanStd(-0.0412, 0.05, 3)).toBe('-0.041 ± 0.050');
    expect(formatMeanStd(85, 0, 1)).toBe('85.0 ± 0.0');
  });

  it('never prints -0.00, and copes with missing values', () => {
    expect(formatMeanStd(-0.001, 0.002)).toBe('0.00 ± 0.00');
    expect(formatMeanStd(NaN, 1)).toBe('n/a');
    expect(formatMeanStd(0.5, NaN)).toBe('0.50');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0.0s'],
    [12.34, '12.3s'],
    [59.9, '59.9s'],
    [59.96, '1m 00s'],
    [83, '1m 23s'],
    [605.4, '10m 05s'],
    [3599.4, '59m 59s'],
    [3599.6, '1h 00m'],
    [3720, '1h 02m'],
    [100000, '27h 47m'],
    [NaN, 'n/a'],
    [-1, 'n/a'],
  ])('%s s → %s', (s, text) => {
    expect(formatDuration(s)).toBe(text);
  });
});
