import { inputError, type MaxPoolBertError } from '../errors.js';

/**
 * Byte sequences that are not UTF-8, as a decoder would replace them: one U+FFFD per maximal
 * ill-formed subpart (the WHATWG / Unicode "best practice" that TextDecoder follows), so
 * `sequences` equals the number of U+FFFD a non-fatal decode adds.
 */
export interface InvalidUtf8 {
  /** Invalid sequences (each becomes one U+FFFD). */
  sequences: number;
  /** Bytes in those sequences. */
  bytes: number;
  /** Lines holding at least one. */
  lines: number;
  /** The 1-based line of the first one. */
  firstLine: number;
  /** The bytes of the first one, for messages (0xE9 alone usually means Latin-1 text). */
  firstBytes: number[];
}

/**
 * Finds the invalid UTF-8 in `bytes` (pure: no decoding). Lines end at `\n`, `\r\n` or a lone
 * `\r`, as the CSV/TSV/JSONL readers count them; `firstLine` is the number of the first line
 * (for a buffer that holds one line of a longer file). Null when everything is valid.
 */
export function findInvalidUtf8(bytes: Uint8Array, firstLine = 1): InvalidUtf8 | null {
  let found: InvalidUtf8 | null = null;
  let line = firstLine;
  let lastBadLine = 0;
  const bad = (start: number, length: number) => {
    if (!found) found = { sequences: 0, bytes: 0, lines: 0, firstLine: line, firstBytes: Array.from(bytes.subarray(start, start + length)) };
    found.sequences++;
    found.bytes += length;
    if (lastBadLine !== line) found.lines++;
    lastBadLine = line;
  };
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) line++;
      i++;
      continue;
    }
    // The well-formed sequences (Unicode Table 3-7): the first continuation byte's range depends
    // on the lead byte (no overlong forms, no surrogates, nothing above U+10FFFF).
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else {
      bad(i, 1);
      i++;
      continue;
    }
    let k = 1;
    while (k <= need && i + k < n) {
      const c = bytes[i + k];
      if (c < lo || c > hi) break;
      lo = 0x80;
      hi = 0xbf;
      k++;
    }
    if (k > need) {
      i += k;
      continue;
    }
    // The lead byte and the continuation bytes that fitted are one replaced sequence.
    bad(i, k);
    i += k;
  }
  return found;
}

/** Two reports (e.g. of successive lines of one file) as one. */
export function mergeInvalidUtf8(a: InvalidUtf8 | null, b: InvalidUtf8 | null): InvalidUtf8 | null {
  if (!a || !b) return a ?? b;
  const first = a.firstLine <= b.firstLine ? a : b;
  return {
    sequences: a.sequences + b.sequences,
    bytes: a.bytes + b.bytes,
    lines: a.lines + b.lines,
    firstLine: first.firstLine,
    firstBytes: first.firstBytes,
  };
}

const hex = (bytes: number[]) => bytes.map((x) => `0x${x.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');

/** `--strict`'s error: the file is not UTF-8, at its first bad line. */
export function invalidUtf8Error(file: string | undefined, invalid: InvalidUtf8): MaxPoolBertError {
  const more = invalid.sequences > 1 ? ` and ${invalid.sequences - 1} more invalid sequence${invalid.sequences > 2 ? 's' : ''} on ${invalid.lines} line${invalid.lines > 1 ? 's' : ''}` : '';
  return inputError(`invalid UTF-8 (byte ${hex(invalid.firstBytes)})${more}`, {
    file,
    field: `line ${invalid.firstLine}`,
    fix: 'save the file as UTF-8; text in Latin-1 or Windows-1252 converts with e.g. iconv -f windows-1252 -t utf-8',
  });
}

/** One line for a report: "data.tsv: replaced 3 invalid UTF-8 sequences (4 bytes) on 2 lines with U+FFFD, first on line 7 (byte 0xE9)". */
export function describeInvalidUtf8(file: string, invalid: InvalidUtf8): string {
  const s = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return (
    `${file}: replaced ${s(invalid.sequences, 'invalid UTF-8 sequence')} (${s(invalid.bytes, 'byte')}) on ${s(invalid.lines, 'line')} with U+FFFD, ` +
    `first on line ${invalid.firstLine} (byte ${hex(invalid.firstBytes)})`
  );
}

export interface DecodeUtf8Options {
  /** Names the input in errors. */
  file?: string;
  /** Invalid UTF-8 is an error (naming the first bad line) instead of being replaced. */
  strict?: boolean;
}

/**
 * Decodes a data file's bytes as UTF-8. A leading BOM is dropped. Invalid sequences become
 * U+FFFD, as every decoder does, but are counted in `invalid` so the caller can report them
 * (silently changed text is how bad data goes unnoticed); with `strict` they are an error.
 */
export function decodeUtf8(bytes: Uint8Array, options: DecodeUtf8Options = {}): { text: string; invalid: InvalidUtf8 | null } {
  const invalid = findInvalidUtf8(bytes);
  if (invalid && options.strict) throw invalidUtf8Error(options.file, invalid);
  return { text: new TextDecoder('utf-8').decode(bytes), invalid };
}
