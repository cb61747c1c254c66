/**
 * GPT-2's `bytes_to_unicode`: a reversible map from the 256 byte values to printable Unicode
 * characters, so that byte-level BPE can work on strings without whitespace or control
 * characters in its vocabulary (a space byte becomes "Ġ", a newline "Ċ").
 */

/** Character of each byte value (index = byte). */
export const BYTE_TO_CHAR: readonly string[] = buildByteToChar();

/** Byte value of each of the 256 characters above. */
export const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_CHAR.map((c, b) => [c, b]));

function buildByteToChar(): string[] {
  // Printable Latin-1 bytes stand for themselves; the other 68 get the code points from 256 up,
  // in byte order, exactly as in GPT-2's encoder.py.
  const table = new Array<string>(256);
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  let next = 256;
  for (let b = 0; b < 256; b++) table[b] = String.fromCodePoint(printable(b) ? b : next++);
  return table;
}

const utf8 = new TextEncoder();

/** A piece of text as byte-level symbols: its UTF-8 bytes, each as its BYTE_TO_CHAR character. */
export function toByteLevel(text: string): string {
  // TextEncoder turns a lone surrogate into U+FFFD, so any JS string encodes.
  const bytes = utf8.encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += BYTE_TO_CHAR[bytes[i]!];
  return out;
}

/**
 * The UTF-8 bytes a token stands for. A token with a character outside the byte alphabet (an
 * added token such as "<mask>" is fine, "é" is not) stands for its own UTF-8 bytes, as in the
 * `tokenizers` ByteLevel decoder.
 */
export function fromByteLevel(token: string, out: number[]): void {
  const start = out.length;
  for (const ch of token) {
    const b = CHAR_TO_BYTE.get(ch);
    if (b === undefined) {
      out.length = start;
      for (const raw of utf8.encode(token)) out.push(raw);
      return;
    }
    out.push(b);
  }
}
