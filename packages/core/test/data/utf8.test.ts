import { decodeUtf8, describeInvalidUtf8, findInvalidUtf8, invalidUtf8Error, mergeInvalidUtf8 } from '../../src/data/utf8';
import { SeededRng } from '../../src/random/seeded-rng';

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'utf8')] : p)));

/** U+FFFD that a real non-fatal decoder adds (the input holds none of its own). */
const replacements = (b: Uint8Array) => [...new TextDecoder().decode(b)].filter((c) => c === '\uFFFD').length;

describe('findInvalidUtf8', () => {
  it('valid text, including 2-, 3- and 4-byte characters, has nothing to report', () => {
    expect(findInvalidUtf8(bytes('plain\nçé – 日本 🙂\r\nend'))).toBeNull();
  });

  it('counts sequences, bytes and lines, and names the first line and bytes', () => {
    // Latin-1 "café" on line 2, a lone continuation byte and a cut 3-byte character on line 4.
    const b = bytes('ok\ncaf', [0xe9], '\r\nfine\r', [0x80], 'x', [0xe6, 0x97], '\n');
    expect(findInvalidUtf8(b)).toEqual({ sequences: 3, bytes: 4, lines: 2, firstLine: 2, firstBytes: [0xe9] });
    expect(findInvalidUtf8(b)!.sequences).toBe(replacements(b));
  });

  it('counts as TextDecoder replaces, on random bytes (overlong forms, surrogates, cut sequences)', () => {
    const rng = new SeededRng(7);
    for (let t = 0; t < 300; t++) {
      const b = Uint8Array.from({ length: 1 + Math.floor(rng.next() * 40) }, () => {
        const r = rng.next();
        // Mostly bytes around the lead/continuation boundaries, where the rules are.
        return r < 0.3 ? Math.floor(rng.next() * 0x80) : 0x80 + Math.floor(rng.next() * 0x80);
      });
      const found = findInvalidUtf8(b);
      expect({ t, count: found?.sequences ?? 0 }).toEqual({ t, count: replacements(b) });
    }
  });

  it('numbers lines from firstLine (a buffer holding one line of a longer file)', () => {
    expect(findInvalidUtf8(bytes([0xff]), 41)).toMatchObject({ firstLine: 41, lines: 1 });
  });

  it('merges the reports of successive lines', () => {
    const a = findInvalidUtf8(bytes([0xff]), 3);
    const b = findInvalidUtf8(bytes('x', [0xc3], 'y', [0xfe]), 9);
    expect(mergeInvalidUtf8(a, b)).toEqual({ sequences: 3, bytes: 3, lines: 2, firstLine: 3, firstBytes: [0xff] });
    expect(mergeInvalidUtf8(null, b)).toBe(b);
  });
});

describe('decodeUtf8', () => {
  const latin1 = bytes('text\tlabel\n', 'caf', [0xe9], '\t1\nna', [0xef], 've\t0\n');

  it('replaces and reports invalid UTF-8 in one line naming the file', () => {
    const { text, invalid } = decodeUtf8(latin1);
    expect(text).toBe('text\tlabel\ncaf\uFFFD\t1\nna\uFFFDve\t0\n');
    expect(describeInvalidUtf8('train.tsv', invalid!)).toBe(
      'train.tsv: replaced 2 invalid UTF-8 sequences (2 bytes) on 2 lines with U+FFFD, first on line 2 (byte 0xE9)',
    );
  });

  it('with strict, is an error naming the file and the first bad line', () => {
    expect(() => decodeUtf8(latin1, { file: 'train.tsv', strict: true })).toThrow(
      /^train\.tsv: line 2: invalid UTF-8 \(byte 0xE9\) and 1 more invalid sequence on 2 lines \(save the file as UTF-8/,
    );
    expect(invalidUtf8Error('x.jsonl', findInvalidUtf8(bytes([0xc3]))!).message).toMatch(/^x\.jsonl: line 1: invalid UTF-8 \(byte 0xC3\) \(/);
  });

  it('drops a BOM and leaves valid text alone', () => {
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], 'é\n'))).toEqual({ text: 'é\n', invalid: null });
  });
});
