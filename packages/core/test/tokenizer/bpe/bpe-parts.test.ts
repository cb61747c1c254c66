// The parts of byte-level BPE on their own: GPT-2's byte table, the pre-tokenisation regex with
// Python `regex` semantics, and the merge loop against a plain port of HF's slow `bpe()`.
import { BpeMerger, BYTE_TO_CHAR, CHAR_TO_BYTE, parseMergesText, preTokenize, toByteLevel, vocabFromObject, type BpeMerge } from '../../../src/tokenizer/index.js';
import { rankMerges } from '../../../src/tokenizer/bpe/merges.js';
import { robertaFile } from './roberta-fixture.js';

describe('bytes_to_unicode', () => {
  it('maps the 256 bytes to 256 distinct characters, printable bytes to themselves', () => {
    expect(new Set(BYTE_TO_CHAR).size).toBe(256);
    expect(BYTE_TO_CHAR[0x41]).toBe('A');
    expect(BYTE_TO_CHAR[0x7e]).toBe('~');
    expect(BYTE_TO_CHAR[0xe9]).toBe('é');
    // GPT-2's well-known symbols: space Ġ (U+0120), newline Ċ (U+010A), tab ĉ (U+0109), byte 0 Ā (U+0100).
    expect(BYTE_TO_CHAR[0x20]).toBe('Ġ');
    expect(BYTE_TO_CHAR[0x0a]).toBe('Ċ');
    expect(BYTE_TO_CHAR[0x09]).toBe('ĉ');
    expect(BYTE_TO_CHAR[0x00]).toBe('Ā');
    expect(BYTE_TO_CHAR[0xad]).toBe('Ń'); // the soft hyphen is the last non-printable byte: 256 + 67
    for (let b = 0; b < 256; b++) expect(CHAR_TO_BYTE.get(BYTE_TO_CHAR[b]!)).toBe(b);
  });

  it('agrees with the vocabulary: all 256 byte symbols are roberta-base tokens', () => {
    const vocab = JSON.parse(robertaFile('vocab.json')) as Record<string, number>;
    for (const c of BYTE_TO_CHAR) expect(vocab[c] === undefined ? `missing ${c}` : c).toBe(c);
  });

  it('encodes text as its UTF-8 bytes', () => {
    expect(toByteLevel(' é')).toBe('ĠÃ©');
    expect(toByteLevel('\uD800')).toBe(toByteLevel('\uFFFD')); // a lone surrogate is U+FFFD
  });
});

describe('GPT-2 pre-tokenisation', () => {
  it.each([
    ["I'm here, they'll see", ['I', "'m", ' here', ',', ' they', "'ll", ' see']],
    ['a  b', ['a', ' ', ' b']],
    ['x   \n', ['x', '   \n']],
    ['  leading', [' ', ' leading']],
    ['1990s $20.50!!', ['1990', 's', ' $', '20', '.', '50', '!!']],
    ['東京タワー', ['東京タワー']],
    ['😀👍🏽', ['😀👍🏽']],
    ["DON'T", ['DON', "'", 'T']], // contractions are case-sensitive: "'T" is punctuation, then a letter
    ['', []],
  ])('%j -> %j', (text, pieces) => {
    expect(preTokenize(text)).toEqual(pieces);
  });

  it('uses Python\'s \\s: NEL (U+0085) is whitespace, the BOM (U+FEFF) is not', () => {
    expect(preTokenize('a\u0085b')).toEqual(['a', '\u0085', 'b']);
    expect(preTokenize('a \ufeffb')).toEqual(['a', ' \ufeff', 'b']);
  });

  it('covers every character of any text', () => {
    const text = "Tabs\tand\u00a0nbsp \u2028 'sx 3.5e9 \u0000\u001f ÿ \uD83D";
    expect(preTokenize(text).join('')).toBe(text);
  });
});

/** HF's slow RobertaTokenizer.bpe(), ported line by line: the reference for the heap version. */
function slowBpe(word: string, ranks: ReadonlyMap<string, number>): string[] {
  let symbols = Array.from(word);
  for (;;) {
    let best: [string, string] | undefined;
    let bestRank = Infinity;
    for (let i = 0; i + 1 < symbols.length; i++) {
      const r = ranks.get(`${symbols[i]} ${symbols[i + 1]}`);
      if (r !== undefined && r < bestRank) [best, bestRank] = [[symbols[i]!, symbols[i + 1]!], r];
    }
    if (!best) return symbols;
    const out: string[] = [];
    for (let i = 0; i < symbols.length; ) {
      if (i + 1 < symbols.length && symbols[i] === best[0] && symbols[i + 1] === best[1]) {
        out.push(best[0] + best[1]);
        i += 2;
      } else out.push(symbols[i++]!);
    }
    symbols = out;
    if (symbols.length === 1) return symbols;
  }
}

function merger(lines: string[], extraTokens: string[] = []): { merger: BpeMerger; ranks: Map<string, number> } {
  const merges: BpeMerge[] = parseMergesText(lines.join('\n'));
  const tokens = new Set(extraTokens);
  for (const m of merges) for (const t of [m.left, m.right, m.left + m.right]) tokens.add(t);
  const vocab = vocabFromObject(Object.fromEntries([...tokens].map((t, i) => [t, i])));
  const ranks = rankMerges(merges, vocab, 'merges.txt', 'vocab.json');
  return { merger: new BpeMerger(ranks), ranks };
}

describe('BPE merges', () => {
  it('merges every occurrence of the best pair in one pass, left to right, without overlaps', () => {
    const { merger: m } = merger(['a a', 'aa aa']);
    expect(m.apply('aaa')).toEqual(['aa', 'a']);
    expect(m.apply('aaaa')).toEqual(['aaaa']);
    expect(m.apply('aaaaa')).toEqual(['aaaa', 'a']);
    expect(m.apply('b')).toEqual(['b']);
  });

  it('offers the pairs a pass creates only after the pass, even when they rank higher', () => {
    // Out-of-order merges (a later pair of better rank than the one that makes it) show the
    // difference between one pass per rank (HF) and one merge at a time.
    // "a b" makes "ab ab" in one pass; merging one at a time would make "ab" + "a", rank 0,
    // and merge that first ("aba", "b").
    const { merger: m, ranks } = merger(['ab a', 'a b']);
    expect(m.apply('abab')).toEqual(['ab', 'ab']);
    for (const word of ['abab', 'ababa', 'abababab', 'aabab']) expect(m.apply(word)).toEqual(slowBpe(word, ranks));
  });

  it('matches the slow loop on the real merges for many words', () => {
    const vocab = vocabFromObject(JSON.parse(robertaFile('vocab.json')));
    const ranks = rankMerges(parseMergesText(robertaFile('merges.txt')), vocab, 'merges.txt', 'vocab.json');
    const m = new BpeMerger(ranks);
    const words = [...new Set(preTokenize(robertaFile('README.md')).map(toByteLevel))];
    expect(words.length).toBeGreaterThan(500);
    for (const w of words) expect([w, m.apply(w)]).toEqual([w, slowBpe(w, ranks)]);
  });

  it('handles a 200 000-character word quickly (no quadratic loop)', () => {
    const { merger: m } = merger(['a b', 'ab ab', 'abab abab']);
    const start = performance.now();
    const tokens = m.apply('ab'.repeat(100_000));
    expect(tokens).toHaveLength(25_000);
    expect(tokens.every((t) => t === 'abababab')).toBe(true);
    expect(performance.now() - start).toBeLessThan(5_000);
  });
});
