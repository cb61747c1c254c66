import { parseCsv, parseDelimited, parseTsv } from '../../src/data/delimited';
import { MaxPoolBertError } from '../../src/errors';

describe('parseTsv (GLUE style, no quoting)', () => {
  it('keeps lone and paired quote characters as ordinary text', () => {
    const t = parseTsv('a\tb\n" He said \tit\'s "fine\n"x"\t"\n', { header: true });
    expect(t.header).toEqual(['a', 'b']);
    expect(t.rows.map((r) => r.fields)).toEqual([
      ['" He said ', 'it\'s "fine'],
      ['"x"', '"'],
    ]);
  });

  it('drops a UTF-8 BOM so the first header name is clean', () => {
    const t = parseTsv('\uFEFFQuality\t#1 ID\n1\t2\n', { header: true });
    expect(t.header).toEqual(['Quality', '#1 ID']);
    expect(t.headerLine).toBe(1);
    expect(t.rows).toEqual([{ line: 2, fields: ['1', '2'] }]);
  });

  it('numbers rows by line, handles \\r\\n, skips empty lines, keeps a last line without newline', () => {
    const t = parseTsv('h1\th2\r\nx\t1\r\n\r\ny\t2\n\nz\t3');
    expect(t.header).toBeNull();
    expect(t.rows).toEqual([
      { line: 1, fields: ['h1', 'h2'] },
      { line: 2, fields: ['x', '1'] },
      { line: 4, fields: ['y', '2'] },
      { line: 6, fields: ['z', '3'] },
    ]);
  });

  it('keeps empty fields (CoLA has an empty third column)', () => {
    expect(parseTsv('gj04\t1\t\tThe sailors rode.\n').rows[0].fields).toEqual(['gj04', '1', '', 'The sailors rode.']);
  });

  it('an empty text has no rows', () => {
    expect(parseTsv('', { header: true })).toEqual({ header: null, headerLine: 0, rows: [] });
  });
});

describe('parseCsv (RFC 4180)', () => {
  it('reads quoted fields with commas and doubled quotes', () => {
    const t = parseCsv('text,label\n"Hello, world",spam\n"She said ""hi""",ham\nplain,ham\n', { header: true });
    expect(t.header).toEqual(['text', 'label']);
    expect(t.rows).toEqual([
      { line: 2, fields: ['Hello, world', 'spam'] },
      { line: 3, fields: ['She said "hi"', 'ham'] },
      { line: 4, fields: ['plain', 'ham'] },
    ]);
  });

  it('keeps line breaks inside quotes; a row is numbered by the line it starts on', () => {
    const t = parseCsv('text,label\n"line one\nline two\r\nline three",a\nnext,b\r\n');
    expect(t.rows).toEqual([
      { line: 1, fields: ['text', 'label'] },
      { line: 2, fields: ['line one\nline two\nline three', 'a'] },
      { line: 5, fields: ['next', 'b'] },
    ]);
  });

  it('handles empty fields, empty quoted fields and a trailing delimiter', () => {
    expect(parseCsv('a,,"",\n').rows[0].fields).toEqual(['a', '', '', '']);
    expect(parseCsv('""\n').rows[0].fields).toEqual(['']);
  });

  it('treats a quote inside an unquoted field as a character; spaces after a closing quote are kept', () => {
    expect(parseCsv('5" screen,x\n"ab"  ,y\n"cd" \n').rows.map((r) => r.fields)).toEqual([
      ['5" screen', 'x'],
      ['ab  ', 'y'],
      ['cd '],
    ]);
  });

  it('text after a closing quote is an error naming the line the quote opened on', () => {
    expect(() => parseCsv('text,label\nok,1\n"ab"c,y\n', { file: 'data.csv' })).toThrow(
      /^data\.csv: line 3: text follows the closing quote of a quoted field \("\\"c,y"\) \(quote the whole field/,
    );
  });

  it('an unbalanced quote that would swallow the rows up to the next quote is an error naming the line it opened on', () => {
    // Read leniently, line 3's field would run to the quote that opens line 6's, merging 3 rows.
    const text = 'text,label\nfine,1\n"a great film,1\nbad,0\nworse,0\n"quoted, text",1\n';
    let err: unknown;
    try {
      parseCsv(text, { file: 'data.csv', header: true });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect((err as MaxPoolBertError).field).toBe('line 3');
    expect((err as Error).message).toMatch(/^data\.csv: line 3: the quote that opens a field on this line is not closed on it: the next quote, on line 6 /);
    expect((err as Error).message).toMatch(/rows in between would become one field \(close the quoted field/);
  });

  it('a quoted field that never closes is an error naming the line it opened on', () => {
    let err: unknown;
    try {
      parseCsv('text,label\nok,1\n"never closed,1\nmore,2\n', { file: 'data.csv' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect((err as Error).message).toMatch(/^data\.csv: line 3: a quoted field is never closed \(.*""/);
  });

  it('quoting can be turned off, and another delimiter used', () => {
    expect(parseDelimited('"a";"b"\n', { delimiter: ';', quoting: false }).rows[0].fields).toEqual(['"a"', '"b"']);
    expect(parseDelimited('"a;b";c\n', { delimiter: ';' }).rows[0].fields).toEqual(['a;b', 'c']);
    expect(() => parseDelimited('x', { delimiter: '\n', file: 'f.csv' })).toThrow(/f\.csv: delimiter/);
  });
});
