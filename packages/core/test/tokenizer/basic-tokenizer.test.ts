// The basic tokenizer's normalization and splitting rules, case by case.
import { BasicTokenizer } from '../../src/tokenizer/index.js';

const uncased = new BasicTokenizer();

describe('BasicTokenizer', () => {
  it('splits on whitespace and punctuation, lower-cases and strips accents by default', () => {
    expect(uncased.tokenize('  Hello,   WORLD!  Café ')).toEqual(['hello', ',', 'world', '!', 'cafe']);
  });

  it('counts the ASCII symbol ranges and every Unicode P* character as punctuation', () => {
    expect(uncased.tokenize('a$b+c^d`e~f|g<h')).toEqual(['a', '$', 'b', '+', 'c', '^', 'd', '`', 'e', '~', 'f', '|', 'g', '<', 'h']);
    // « » — ¿ are Unicode punctuation; © and € are symbols (So/Sc), not punctuation.
    expect(uncased.tokenize('«x»y—z¿w©v€u')).toEqual(['«', 'x', '»', 'y', '—', 'z', '¿', 'w©v€u']);
  });

  it('drops NUL, U+FFFD and control / format / unassigned / private-use / surrogate characters', () => {
    expect(uncased.tokenize('a\u0000b\uFFFDc\u0007d\u200Be\u00ADf\u0378g\uE000h\uD800i\uDC00j')).toEqual(['abcdefghij']);
  });

  it('turns \\t \\n \\r and Zs spaces into separators, and splits on U+2028/U+2029 like Python', () => {
    expect(uncased.tokenize('a\tb\nc\r\nd\u00A0e\u3000f\u2028g\u2029h')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  });

  it('spaces out CJK ideographs but not kana or hangul', () => {
    expect(uncased.tokenize('東京タワーab')).toEqual(['東', '京', 'タワーab']);
    expect(uncased.tokenize('x\u{20000}y')).toEqual(['x', '\u{20000}', 'y']);
    expect(new BasicTokenizer({ tokenizeChineseChars: false }).tokenize('東京ab')).toEqual(['東京ab']);
  });

  it('follows HF strip_accents semantics', () => {
    const text = 'Café NAÏVE';
    expect(new BasicTokenizer({ doLowerCase: true, stripAccents: null }).tokenize(text)).toEqual(['cafe', 'naive']);
    expect(new BasicTokenizer({ doLowerCase: true, stripAccents: false }).tokenize(text)).toEqual(['café', 'naïve']);
    expect(new BasicTokenizer({ doLowerCase: false, stripAccents: null }).tokenize(text)).toEqual(['Café', 'NAÏVE']);
    expect(new BasicTokenizer({ doLowerCase: false, stripAccents: true }).tokenize(text)).toEqual(['Cafe', 'NAIVE']);
  });

  it('NFC-normalizes, so decomposed and composed accents agree in a cased tokenizer', () => {
    const cased = new BasicTokenizer({ doLowerCase: false });
    expect(cased.tokenize('e\u0301')).toEqual(['\u00E9']);
  });

  it('lower-cases a word as a whole (final sigma), like Python str.lower()', () => {
    expect(uncased.tokenize('ΟΔΟΣ ΣΑ')).toEqual(['οδος', 'σα']);
  });

  it('keeps never_split words whole and un-lower-cased, but only as whole words', () => {
    const t = new BasicTokenizer({ neverSplit: ['[FOO]', 'e.g.'] });
    expect(t.tokenize('x [FOO] E.G. y[FOO]')).toEqual(['x', '[FOO]', 'e.g.', 'y', '[', 'foo', ']']);
  });

  it('gives nothing for empty, blank or all-removed text', () => {
    expect(uncased.tokenize('')).toEqual([]);
    expect(uncased.tokenize(' \t\n ')).toEqual([]);
    expect(uncased.tokenize('\u0301\u0000')).toEqual([]);
  });
});
