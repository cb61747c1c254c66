// The byte-level BPE tokenizer never throws on any string, decodes every valid string back
// exactly, and stays fast on large input.
import { robertaTokenizer } from './roberta-fixture.js';

const tok = robertaTokenizer();

/** Deterministic PRNG (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Troublesome pieces: surrogates, controls, combining marks, CJK, emoji, special-token fragments,
// every kind of space (Python's and JS's \s differ on U+0085 and U+FEFF), contractions.
const POOL = [
  '\uD800', '\uDFFF', '😀', '👍🏽', '👨‍👩‍👧', '𝔢', '\u{10FFFF}', '\u0000', '\u001F', '\u007F', '\u0085', '\u200B', '\u00AD', '\uFEFF',
  '\u0301', 'e\u0301', 'ß', 'İ', '東', 'タ', '서', '\u3000', '<s>', '</s>', '<mask>', '<pad>', '<unk>', '<s', 'mask>', '<', '>',
  ' ', '  ', '\t', '\n', '\r\n', '\u00A0', '\u2028', "'s", "'ll", "'", 'a', 'Z', '9', '3.14', '!!', '$', 'hello', 'Ġ', 'Ċ',
];

function randomString(next: () => number): string {
  const parts: string[] = [];
  const n = Math.floor(next() * 12);
  for (let i = 0; i < n; i++) parts.push(next() < 0.15 ? String.fromCharCode(Math.floor(next() * 0x10000)) : POOL[Math.floor(next() * POOL.length)]!);
  return parts.join('');
}

const WELL_FORMED = /^(?:[^\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;

describe('any string', () => {
  it('encodes 3000 random strings and pairs without throwing, and decodes valid ones back exactly', () => {
    const next = rng(7);
    const bad: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const text = randomString(next);
      const pair = next() < 0.3 ? randomString(next) : undefined;
      const enc = tok.encode(text, pair);
      const n = enc.inputIds.length;
      if (enc.inputIds[0] !== 0 || enc.inputIds[n - 1] !== 2) bad.push(`${JSON.stringify(text)}: not wrapped in <s> ... </s>`);
      if (!enc.inputIds.every((id) => Number.isInteger(id) && id >= 0 && id < tok.vocabSize)) bad.push(`${JSON.stringify(text)}: id out of range`);
      if (tok.convertTokensToIds(tok.tokenize(text)).join() !== tok.encode(text, undefined, { addSpecialTokens: false }).inputIds.join()) {
        bad.push(`${JSON.stringify(text)}: tokenize/encode disagree`);
      }
      if (tok.encode(text, pair, { maxLength: 16, padding: 'max_length' }).inputIds.length !== 16) bad.push(`${JSON.stringify(text)}: not 16 long`);
      // Without special tokens in it (and <mask>'s lstrip), the text comes back byte for byte.
      if (WELL_FORMED.test(text) && !/<(s|\/s|mask|pad|unk)>/.test(text) && tok.decode(tok.encode(text).inputIds, { skipSpecialTokens: true }) !== text) {
        bad.push(`${JSON.stringify(text)}: decode differs`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('treats non-strings from plain JS as text', () => {
    expect(tok.tokenize(undefined as unknown as string)).toEqual([]);
    expect(tok.tokenize(42 as unknown as string)).toEqual(['42']);
  });

  it('handles large input quickly', () => {
    const start = Date.now();
    expect(tok.tokenize('a'.repeat(200_000)).join('')).toBe('a'.repeat(200_000));
    const big = 'The quick brown fox jumps over the lazy dog. '.repeat(5_000);
    expect(tok.encode(big, big, { maxLength: 512 }).inputIds).toHaveLength(512);
    expect(Date.now() - start).toBeLessThan(20_000);
  });
});
