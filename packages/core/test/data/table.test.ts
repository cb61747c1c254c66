import { loadGlueFile } from '../../src/data/glue';
import { loadTable, MixedLabelsError, sortLabels, type TableOptions } from '../../src/data/table';
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
    const text = '{"text":"good","label":1}\n\n{"text":"bad","label":0}\n{"text":"meh","label":2}\n';
    const { dataset } = loadTable(text, 'd.jsonl', { format: 'jsonl', textColumn: 'text', labelColumn: 'label' });
    expect(dataset.labels.names).toEqual(['0', '1', '2']);
    expect(dataset.examples).toEqual([
      { text: 'good', label: 1, line: 1 },
      { text: 'bad', label: 0, line: 3 },
      { text: 'meh', label: 2, line: 4 },
    ]);
    const booleans = loadTable('{"text":"a","label":true}\n{"text":"b","label":false}\n', 'b.jsonl', { format: 'jsonl', textColumn: 'text', labelColumn: 'label' });
    expect(booleans.dataset.labels.names).toEqual(['false', 'true']);
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
    { name: 'missing column', text: 'text,pair,label\nok,ok,a\nonly text\nok,ok,b\n', line: 3, reason: /missing column "pair" \(the row has 1 field but the header has 3\)/ },
    { name: 'missing label column', text: 'text,pair,label\nok,ok,a\nx,y\nok,ok,b\n', line: 3, reason: /missing column "label" \(the row has 2 fields but the header has 3\)/ },
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
    { name: 'one field too many (a comma in an unquoted text)', text: 'text,pair,label\nok,ok,a\ngood, really,ok,a\nok,ok,b\n', line: 3, reason: /the row has 4 fields but the header has 3/ },
    { name: 'a short row missing only an unused column', text: 'text,label,other\nok,a,x\nok,a\nok,b,x\n', options: { textPairColumn: undefined }, line: 3, reason: /(^|: )the row has 2 fields but the header has 3( \(|$)/ },
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

describe('loadTable: rows whose field count differs from the header', () => {
  it('TSV (no quoting, as GLUE): a quoted text holding a tab is an error naming the line, not a new class', () => {
    const text = 'sentence\tlabel\ngood film\t1\n"a tab\there"\t0\nbad film\t0\n';
    const e = errorOf(() => loadTable(text, 'train.tsv', { format: 'tsv', textColumn: 'sentence', labelColumn: 'label' }));
    expect(e.message).toBe(
      'train.tsv: line 3: the row has 3 fields but the header has 2 (a tab inside a text splits it (TSV is read without quoting, as GLUE files are): ' +
        'remove the tab, or write the data as CSV with that field quoted)',
    );
    const { dataset, skipped } = loadTable(text, 'train.tsv', { format: 'tsv', textColumn: 'sentence', labelColumn: 'label', skipBadRows: true });
    expect(dataset.labels.names).toEqual(['0', '1']);
    expect(skipped.map((s) => s.line)).toEqual([3]);
    // The same text as CSV reads the quoted tab as text.
    const csv = loadTable('sentence,label\ngood film,1\n"a tab\there",0\n', 'train.csv', { format: 'csv', textColumn: 'sentence', labelColumn: 'label' });
    expect(csv.dataset.examples[1].text).toBe('a tab\there');
  });

  it('a GLUE file is read the same way (no quoting), so an extra tab is an error there too', () => {
    const text = 'sentence\tlabel\nit is good \t1\nit is "bad\tor worse" \t0\n';
    expect(() => loadGlueFile('SST-2', text, 'SST-2/train.tsv')).toThrow(/^SST-2\/train\.tsv: line 3: the row has 3 fields but the header has 2/);
  });

  it('without a header, rows are held to the first row', () => {
    const text = 'gj04\t1\t\tThe sailors rode.\ngj04\t0\t*\tA stray\ttab.\n';
    expect(() => loadTable(text, 'cola.tsv', { format: 'tsv', header: false, textColumn: 3, labelColumn: 1 })).toThrow(
      /^cola\.tsv: line 2: the row has 5 fields but line 1 has 4/,
    );
  });

  it('CSV: a comma in an unquoted text says to quote the field', () => {
    const e = errorOf(() => loadTable('text,label\ngood, really,1\nbad,0\n', 'c.csv', { format: 'csv', textColumn: 'text', labelColumn: 'label' }));
    expect(e.message).toBe('c.csv: line 2: the row has 3 fields but the header has 2 (quote a field that holds a comma, e.g. "good, really")');
  });
});

describe('loadTable: the text and the label from one column', () => {
  const CSV3 = 'text,pair,label\nhello,world,a\nbye,moon,b\n';
  it.each([
    ['text = label by name', { textColumn: 'label', labelColumn: 'label' }, 'labelColumn: textColumn and labelColumn are the same column ("label")'],
    ['text = label, by index and by name', { textColumn: 2, labelColumn: 'label' }, 'labelColumn: textColumn and labelColumn are the same column ("label")'],
    ['pair = label', { textColumn: 'text', textPairColumn: 'label', labelColumn: 'label' }, 'labelColumn: textPairColumn and labelColumn are the same column ("label")'],
    ['text = pair', { textColumn: 'text', textPairColumn: 'text', labelColumn: 'label' }, 'textPairColumn: textColumn and textPairColumn are the same column ("text")'],
  ] as const)('%s is an error, even with skipBadRows', (_name, columns, message) => {
    const e = errorOf(() => loadTable(CSV3, 'd.csv', { format: 'csv', ...columns, skipBadRows: true }));
    expect(e.message.startsWith(`d.csv: ${message} (`)).toBe(true);
  });

  it('JSONL: the same key', () => {
    expect(() => loadTable('{"text":"a","label":"x"}\n', 'd.jsonl', { format: 'jsonl', textColumn: 'label', labelColumn: 'label' })).toThrow(
      /^d\.jsonl: labelColumn: textColumn and labelColumn are the same column \("label"\)/,
    );
  });
});

describe('loadTable: labels that mix numbers and words', () => {
  const MIXED = 'text,label\ngood,positive\nbad,negative\nfine,1\nawful,0\nnice,positive\n';

  it('are an error naming the file, the column and the labels seen', () => {
    const e = errorOf(() => loadTable(MIXED, 'mixed.csv', { format: 'csv', textColumn: 'text', labelColumn: 'label', skipBadRows: true }));
    expect(e).toBeInstanceOf(MixedLabelsError);
    expect((e as MixedLabelsError).labels).toEqual(['0', '1', 'negative', 'positive']);
    expect(e.message).toBe(
      'mixed.csv: column "label": the labels mix numbers and words ("0", "1", "negative", "positive"), which would make 4 classes ' +
        '(make the column use one kind of label, or give the label set and its order explicitly)',
    );
  });

  it('are read as given when the label set is stated', () => {
    const labels = { problemType: 'single_label_classification' as const, names: ['positive', 'negative', '0', '1'] };
    const { dataset } = loadTable(MIXED, 'mixed.csv', { format: 'csv', textColumn: 'text', labelColumn: 'label', labels });
    expect(dataset.examples.map((e) => e.label)).toEqual([0, 1, 3, 2, 0]);
  });

  it('a stated label set that names a label twice is an error', () => {
    const labels = { problemType: 'single_label_classification' as const, names: ['a', 'b', 'a'] };
    expect(() => loadTable('t,l\nx,a\n', 'd.csv', { format: 'csv', textColumn: 't', labelColumn: 'l', labels })).toThrow(
      /^d\.csv: labels: the given label set names "a" more than once/,
    );
  });

  it('numbers alone, or words alone, are fine; regression values are numbers', () => {
    expect(loadTable('t,l\na,1\nb,0\n', 'n.csv', { format: 'csv', textColumn: 't', labelColumn: 'l' }).dataset.labels.names).toEqual(['0', '1']);
    expect(loadTable('t,l\na,yes\nb,no\n', 'w.csv', { format: 'csv', textColumn: 't', labelColumn: 'l' }).dataset.labels.names).toEqual(['no', 'yes']);
  });
});

describe('loadTable: a column index on a file with a header', () => {
  const CSV2 = 'text,label\nhello,a\nbye,b\n';
  it('a digit string that is not a header name is an index (the CLI passes every column as a string)', () => {
    const { dataset } = loadTable(CSV2, 'd.csv', { format: 'csv', textColumn: '0', labelColumn: 'label' });
    expect(dataset.examples.map((e) => e.text)).toEqual(['hello', 'bye']);
    // A header named "1" is still read by name.
    const named = loadTable('x,1,label\na,hello,p\nb,bye,q\n', 'n.csv', { format: 'csv', textColumn: '1', labelColumn: 'label' });
    expect(named.dataset.examples.map((e) => e.text)).toEqual(['hello', 'bye']);
  });

  it('an index past the last column is an error naming the header line', () => {
    expect(() => loadTable(CSV2, 'd.csv', { format: 'csv', textColumn: '5', labelColumn: 'label' })).toThrow(
      /^d\.csv: line 1: textColumn 5 is past the last column \(the header has 2\)/,
    );
  });
});
