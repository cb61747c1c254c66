// The tokenizer must never throw on any string, and must stay fast on large input.
import { BertTokenizer } from '../../src/tokenizer/index.js';
import { BERT_UNCASED_VOCAB, readGoldens } from './fixtures.js';

const bert = BertTokenizer.fromVocabText(BERT_UNCASED_VOCAB());

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

// Pools of troublesome code units / strings: lone and paired surrogates, controls, combining
// marks, CJK, emoji with modifiers and joiners, special-token fragments, spaces of all kinds.
const POOLS: string[][] = [
  ['\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D', '\uDE00', '😀', '👍🏽', '👨‍👩‍👧', '𝔢', '\u{10FFFF}', '\u{E0001}'],
  ['\u0000', '\u0007', '\u001F', '\u007F', '\u0085', '\u200B', '\u200D', '\u00AD', '\uFEFF', '\uFFFD', '\uFFFF', '\uE000'],
  ['\u0301', '\u0308', '\u0327', '\u20DD', '\u0903', 'e\u0301', 'Å', 'ǅ', 'İ', 'ß', 'ﬁ', 'Σ'],
  ['東', '京', '\u{20000}', '\u{2FA1D}', 'タ', '서', 'ᄀ', 'ㄱ', '你好', '\u3000', '・', '。'],
  ['[CLS]', '[SEP', 'SEP]', '[MASK]', '[UNK]', '[PAD]', '##', '#', '[', ']', '[[SEP]]', '[cls]'],
  [' ', '\t', '\n', '\r\n', '\u00A0', '\u2028', '\u2029', '\u1680', '\u202F', '  ', '\x0b', '\x0c'],
  ['a', 'Z', '9', '.', ',', '!', '?', "'", '-', '$', 'hello', 'unaffable'],
];

function randomString(next: () => number, maxParts: number): string {
  const parts: string[] = [];
  const n = Math.floor(next() * maxParts);
  for (let i = 0; i < n; i++) {
    if (next() < 0.15) {
      parts.push(String.fromCharCode(Math.floor(next() * 0x10000))); // any code unit at all
    } else {
      const pool = POOLS[Math.floor(next() * POOLS.length)]!;
      parts.push(pool[Math.floor(next() * pool.length)]!);
    }
  }
  return parts.join('');
}

/** Problems with one encoding, as text (plain checks: jest's expect per id is too slow here). */
function problems(text: string, pair?: string): string[] {
  const out: string[] = [];
  const enc = bert.encode(text, pair);
  const n = enc.inputIds.length;
  if (enc.inputIds[0] !== 101 || enc.inputIds[n - 1] !== 102) out.push('not wrapped in [CLS] ... [SEP]');
  if (enc.tokenTypeIds.length !== n || enc.attentionMask.length !== n) out.push('array lengths differ');
  if (!enc.inputIds.every((id) => Number.isInteger(id) && id >= 0 && id < bert.vocabSize)) out.push('id out of range');
  // Tokens and ids agree.
  const plain = bert.encode(text, undefined, { addSpecialTokens: false }).inputIds;
  if (plain.join() !== bert.convertTokensToIds(bert.tokenize(text)).join()) out.push('tokenize/encode disagree');
  // Truncation and padding on random input never throw with a sane maxLength.
  const padded = bert.encode(text, pair, { maxLength: 16, padding: 'max_length' });
  if (padded.inputIds.length !== 16) out.push('not padded/truncated to 16');
  bert.decode(padded.inputIds);
  return out.map((p) => `${JSON.stringify(text)} / ${JSON.stringify(pair)}: ${p}`);
}

describe('never throws', () => {
  it('on 3000 random strings and pairs of hostile characters', () => {
    const next = rng(12345);
    const bad: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const text = randomString(next, 40);
      const pair = next() < 0.3 ? randomString(next, 20) : undefined;
      bad.push(...problems(text, pair));
    }
    expect(bad).toEqual([]);
  });

  it('on every single code unit and many single code points', () => {
    const bad: string[] = [];
    const check = (ch: string) => {
      const ids = bert.encode(ch).inputIds;
      // One character gives at most a few pieces (a Hangul syllable decomposes into 3 jamo).
      if (ids.length > 2 + 3 || ids.some((id) => !(id >= 0 && id < bert.vocabSize))) bad.push(ch);
    };
    for (let c = 0; c < 0x10000; c++) check(String.fromCharCode(c));
    for (let cp = 0x10000; cp <= 0x10ffff; cp += 97) check(String.fromCodePoint(cp));
    expect(bad).toEqual([]);
  });

  it('on odd non-string input from plain JS', () => {
    expect(bert.encode(undefined as unknown as string).inputIds).toEqual([101, 102]);
    expect(bert.encode(null as unknown as string).inputIds).toEqual([101, 102]);
    expect(bert.tokenize(42 as unknown as string)).toEqual(['42']);
  });

  it('on huge input, quickly', () => {
    const next = rng(7);
    const words: string[] = [];
    for (let i = 0; i < 200_000; i++) words.push(randomString(next, 4) || 'word');
    const big = words.join(' '); // a few MB
    const start = Date.now();
    const tokens = bert.tokenize(big);
    expect(tokens.length).toBeGreaterThan(100_000);
    // One giant "word" with no spaces, and a wall of CJK.
    expect(bert.tokenize('a'.repeat(2_000_000))).toEqual(['[UNK]']);
    expect(bert.tokenize('東'.repeat(300_000))).toHaveLength(300_000);
    expect(bert.encode(big, big, { maxLength: 512 }).inputIds).toHaveLength(512);
    expect(Date.now() - start).toBeLessThan(20_000);
  });
});

describe('performance', () => {
  it('tokenizes 10k sentences well under two seconds', () => {
    const texts = readGoldens().map((g) => g.text);
    const sentences: string[] = [];
    for (let i = 0; sentences.length < 10_000; i++) {
      sentences.push(`${texts[i % texts.length]} The movie number ${i} was surprisingly good, wasn't it?`);
    }
    const fresh = BertTokenizer.fromVocabText(BERT_UNCASED_VOCAB()); // cold word cache
    const start = performance.now();
    const encs = fresh.encodeBatch(sentences, { maxLength: 128, padding: 'longest' });
    const ms = performance.now() - start;
    expect(encs).toHaveLength(10_000);
    // eslint-disable-next-line no-console
    console.log(`encodeBatch of 10k sentences: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(2000);
  });
});
