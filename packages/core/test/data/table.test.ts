import { loadTable, sortLabels, type TableOptions } from '../../src/data/table';
import { MaxPoolBertError } from '../../src/errors';

const CSV = 'text,label,other\n"Win a prize, now!",spam,x\nSee you at 5,ham,y\n"He said ""hi""",ham,z\n';

function errorOf(fn: () => unknown): MaxPoolBertError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MaxPoolBertError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('loadTable: formats and columns', () => {
  it('CSV by header name, labels sorted (ham, spam)', () => {
    const { dataset, skipped } = loadTable(CSV, 'sms.csv', { format: 'csv', textColumn: 'text', labelColumn: 'label' });
    expect(skipped).toEqual([]);
    expect(dataset.file).toBe('sms.csv');
    expect(dataset.labels).toEqual({ problemType: 'single_label_classification', names: ['ham', 'spam'] });
    expect(dataset.examples).toEqual([
      { text: 'Win a prize, now!', label: 1, line: 2 },
      { text: 'See you at 5', label: 0, line: 3 },
      { text: 'He said "hi"', label: 0, line: 4 },
    ]);
  });

  it('CSV by index, and without a header (indexes only)', () => {
    const byIndex = loadTable(CSV, 'sms.csv', { format: 'csv', textColumn: 0, labelColumn: 1 });
    expect(byIndex.dataset.examples.map((e) => e.line)).toEqual([2, 3, 4]);
    const noHeader = loadTable('hello,a\nbye,b\n', 'n.csv', { format: 'csv', header: false, textColumn: 0, labelColumn: '1' });
    expect(noHeader.dataset.examples).toEqual([
      { text: 'hello', label: 0, line: 1 },
      { text: 'bye', label: 1, line: 2 },
    ]);
    expect(() => loadTable('hello,a\n', 'n.csv', { format: 'csv', header: false, textColumn: 'text', labelColumn: 1 })).toThrow(
      /^n\.csv: textColumn: textColumn "text" names a column, but the file is read without a header/,
    );
  });

  it('TSV keeps quotes (no quoting by default) and reads pairs', () => {
    const tsv = 'a\tb\ty\n"quoted\tlone " quote\tyes\n';
    const { dataset } = loadTable(tsv, 'p.tsv', { format: 'tsv', textColumn: 'a', textPairColumn: 'b', labelColumn: 'y' });
    expect(dataset.examples).toEqual([{ text: '"quoted', textPair: 'lone " quote', label: 0, line: 2 }]);
    // With quoting turned on, the same file reads the quoted field.
    const quoted = loadTable('a\ty\n"x\ty"\tyes\n', 'q.tsv', { format: 'tsv', quoting: true, textColumn: 'a', labelColumn: 'y' });
    expect(quoted.dataset.examples[0].text).toBe('x\ty');
  });

  it('JSONL by key; numeric and boolean labels become strings', () => {
    const text = '{"text":"good","label":1}\n\n{"text":"bad","label":0}\n{"text":"meh","label":true}\n';
    const { dataset } = loadTable(text, 'd.jsonl', { format: 'jsonl', textColumn: 'text', labelColumn: 'label' });
    expect(dataset.labels.names).toEqual(['0', '1', 'true']);
    expect(dataset.examples).toEqual([
      { text: 'good', label: 1, line: 1 },
      { text: 'bad', label: 0, line: 3 },
      { text: 'meh', label: 2, line: 4 },
    ]);
    expect(() => loadTable(text, 'd.jsonl', { format: 'jsonl', textColumn: 0, labelColumn: 'label' })).toThrow(/d\.jsonl: textColumn: .*JSONL rows are read by key/);
  });

  it('numeric labels sort numerically, others by code unit', () => {
    expect(sortLabels(['10', '2', '1', '2'])).toEqual(['1', '2', '10']);
    expect(sortLabels(['spam', 'ham', 'Eggs'])).toEqual(['Eggs', 'ham', 'spam']);
    const { dataset } = loadTable('t,l\na,10\nb,2\nc,-1\n', 'n.csv', { format: 'csv', textColumn: 't', labelColumn: 'l' });
    expect(dataset.labels.names).toEqual(['-1', '2', '10']);
    expect(dataset.examples.map((e) => e.label)).toEqual([2, 1, 0]);
  });

  it('a given label set (the training mapping) fixes the ids', () => {
    const labels = { problemType: 'single_label_classification' as const, names: ['spam', 'ham'] };
    const { dataset } = loadTable(CSV, 'dev.csv', { format: 'csv', textColumn: 'text', labelColumn: 'label', labels });
    expect(dataset.labels).toBe(labels);
    expect(dataset.examples.map((e) => e.label)).toEqual([0, 1, 1]);
  });

  it('regression reads numbers', () => {
    const { dataset } = loadTable('s,v\na, 1.5\nb,-2e-1\nc,3\n', 'r.csv', { format: 'csv', textColumn: 's', labelColumn: 'v', regression: true });
    expect(dataset.labels.problemType).toBe('regression');
    expect(dataset.examples.map((e) => e.label)).toEqual([1.5, -0.2, 3]);
    const j = loadTable('{"s":"a","v":2.25}\n', 'r.jsonl', { format: 'jsonl', textColumn: 's', labelColumn: 'v', labels: { problemType: 'regression', names: ['score'] } });
    expect(j.dataset.examples[0].label).toBe(2.25);
    expect(() => loadTable('s,v\na,1\n', 'r.csv', { format: 'csv', textColumn: 's', labelColumn: 'v', regression: false, labels: { problemType: 'regression', names: ['x'] } })).toThrow(/r\.csv: regression/);
  });

  it('a missing header column is an error naming the header line and the columns', () => {
    const e = errorOf(() => loadTable(CSV, 'sms.csv', { format: 'csv', textColumn: 'message', labelColumn: 'label', skipBadRows: true }));
    expect(e.message).toBe('sms.csv: line 1: no column "message" in the header (columns: "text", "label", "other") (set textColumn to one of the header\'s column names)');
    expect(e.file).toBe('sms.csv');
    expect(e.field).toBe('line 1');
  });
});

describe('loadTable: bad rows', () => {
  const base: TableOptions = { format: 'csv', textColumn: 'text', textPairColumn: 'pair', labelColumn: 'label' };
  const cases: { name: string; text: string; options?: Partial<TableOptions>; line: number; reason: RegExp }[] = [
    { name: 'missing column', text: 'text,pair,label\nok,ok,a\nonly text\nok,ok,b\n', line: 3, reason: /missing column "pair" \(the row has 1 field\)/ },
    { name: 'missing label column', text: 'text,pair,label\nok,ok,a\nx,y\nok,ok,b\n', line: 3, reason: /missing column "label" \(the row has 2 fields\)/ },
    { name: 'empty text', text: 'text,pair,label\nok,ok,a\n  ,ok,a\nok,ok,b\n', line: 3, reason: /empty text in column "text"/ },
    { name: 'empty pair text', text: 'text,pair,label\nok,ok,a\nok,,a\nok,ok,b\n', line: 3, reason: /empty text in column "pair"/ },
    { name: 'empty label', text: 'text,pair,label\nok,ok,a\nok,ok,\nok,ok,b\n', line: 3, reason: /empty label in column "label"/ },
    {
      name: 'unknown label',
      text: 'text,pair,label\nok,ok,a\nok,ok,c\nok,ok,b\n',
      options: { labels: { problemType: 'single_label_classification', names: ['a', 'b'] } },
      line: 3,
      reason: /unknown label "c" in column "label" \(known labels: a, b\)/,
    },
    { name: 'non-numeric regression value', text: 'text,pair,label\nok,ok,1\nok,ok,n/a\nok,ok,2\n', options: { regression: true }, line: 3, reason: /label "n\/a" in column "label" is not a number/ },
    {
      name: 'quoted field spanning lines counts from its first line',
      text: 'text,pair,label\nok,ok,a\n"two\nlines",,a\nok,ok,b\n',
      line: 3,
      reason: /empty text in column "pair"/,
    },
    {
      name: 'malformed JSONL line',
      text: '{"text":"ok","pair":"ok","label":"a"}\n{"text":"ok",\n{"text":"ok","pair":"ok","label":"b"}\n',
      options: { format: 'jsonl' },
      line: 2,
      reason: /not valid JSON/,
    },
    {
      name: 'JSONL missing key',
      text: '{"text":"ok","pair":"ok","label":"a"}\n{"text":"ok","label":"a"}\n{"text":"ok","pair":"ok","label":"b"}\n',
      options: { format: 'jsonl' },
      line: 2,
      reason: /missing key "pair"/,
    },
    {
      name: 'JSONL text not a string',
      text: '{"text":"ok","pair":"ok","label":"a"}\n{"text":5,"pair":"ok","label":"a"}\n{"text":"ok","pair":"ok","label":"b"}\n',
      options: { format: 'jsonl' },
      line: 2,
      reason: /column "text" is a number, not text/,
    },
  ];

  it.each(cases)('$name: an error naming file and line', ({ text, options, line, reason }) => {
    const e = errorOf(() => loadTable(text, 'bad.csv', { ...base, ...options }));
    expect(e.message.startsWith(`bad.csv: line ${line}: `)).toBe(true);
    expect(e.message).toMatch(reason);
    expect(e.message).toMatch(/\(.+\)$/); // says how to fix it
    expect(e.field).toBe(`line ${line}`);
  });

  it.each(cases)('$name: skipped and counted with skipBadRows', ({ text, options, line, reason }) => {
    const { dataset, skipped } = loadTable(text, 'bad.csv', { ...base, ...options, skipBadRows: true });
    expect(skipped).toHaveLength(1);
    expect(skipped[0].line).toBe(line);
    expect(skipped[0].reason).toMatch(reason);
    expect(dataset.examples).toHaveLength(2);
    expect(dataset.examples.map((e) => e.line)).not.toContain(line);
  });

  it('skipped rows do not add labels to the inferred label set', () => {
    const { dataset, skipped } = loadTable('t,l\na,x\n ,zzz\nb,y\n', 's.csv', { format: 'csv', textColumn: 't', labelColumn: 'l', skipBadRows: true });
    expect(skipped.map((s) => s.line)).toEqual([3]);
    expect(dataset.labels.names).toEqual(['x', 'y']);
  });

  it('an empty file is always an error naming the file', () => {
    for (const format of ['csv', 'tsv', 'jsonl'] as const) {
      for (const text of ['', '\n\n', '\uFEFF']) {
        const e = errorOf(() => loadTable(text, `empty.${format}`, { format, textColumn: 'text', labelColumn: 'label', skipBadRows: true }));
        expect(e.message).toBe(`empty.${format}: the file is empty (give a file with one example per row)`);
      }
    }
  });

  it('a header without data rows, or only bad rows, is an error even with skipBadRows', () => {
    expect(() => loadTable('text,label\n', 'h.csv', { format: 'csv', textColumn: 'text', labelColumn: 'label', skipBadRows: true })).toThrow(
      /^h\.csv: the file has no data rows/,
    );
    expect(() => loadTable('text,label\n,a\n,b\n', 'h.csv', { format: 'csv', textColumn: 'text', labelColumn: 'label', skipBadRows: true })).toThrow(
      /^h\.csv: no usable rows: all 2 data rows are bad \(first: line 2: empty text/,
    );
    expect(() => loadTable('nope\n', 'h.jsonl', { format: 'jsonl', textColumn: 'text', labelColumn: 'label', skipBadRows: true })).toThrow(/^h\.jsonl: no usable rows/);
  });
});
