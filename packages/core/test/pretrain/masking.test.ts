// Masking as Hugging Face's DataCollatorForLanguageModeling / ...ForWholeWordMask: which tokens
// can be chosen, the chosen share, the 80/10/10 corruption, whole words, and reproducibility.
import { batchMaskRng, continuationTest, groupTexts, lineByLine, maskBatch, SeededRng, type MaskingOptions, type MlmExample } from '@maxpoolbert/core';
import { CLS, MASK, PAD, SEP, sentences, wpTokenizer } from './helpers';

const lines = (texts: string[]) => texts.map((text, i) => ({ text, line: i + 1 }));
const options = (o: Partial<MaskingOptions> = {}): MaskingOptions => ({
  mlmProbability: 0.15, wholeWordMask: false, maskId: MASK, padId: PAD, vocabSize: wpTokenizer.vocabSize,
  isContinuation: continuationTest((ids) => wpTokenizer.convertIdsToTokens(ids), wpTokenizer.vocabSize), ...o,
});
const examples = lineByLine(wpTokenizer, lines(sentences(400, 7)), 32);

describe('token-level masking', () => {
  it('never chooses special or padding tokens, pads with [PAD] and labels with the original ids', () => {
    const m = maskBatch(examples.slice(0, 64), options({ mlmProbability: 0.9 }), new SeededRng(1));
    const T = m.length;
    expect(T).toBe(Math.max(...examples.slice(0, 64).map((e) => e.inputIds.length)));
    for (let k = 0; k < m.positions.length; k++) {
      const p = m.positions[k]!;
      const e = examples[Math.floor(p / T)]!;
      const t = p % T;
      expect(t).toBeLessThan(e.inputIds.length); // never padding
      expect(e.special[t]).toBe(0); // never [CLS]/[SEP]
      expect(m.labels[k]).toBe(e.inputIds[t]);
    }
    for (let b = 0; b < 64; b++) {
      const e = examples[b]!;
      for (let t = 0; t < T; t++) {
        const id = m.inputIds[b * T + t]!;
        if (t >= e.inputIds.length) expect([id, m.attentionMask[b * T + t]]).toEqual([PAD, 0]);
        else if (e.special[t]) expect(id).toBe(e.inputIds[t]); // specials are left alone
      }
    }
    expect([...m.positions]).toEqual([...m.positions].sort((a, b) => a - b));
    expect(m.tokens).toBe(examples.slice(0, 64).reduce((n, e) => n + e.inputIds.length, 0));
  });

  it('chooses 15 % of the maskable tokens and corrupts them 80 % [MASK] / 10 % random / 10 % unchanged', () => {
    // ~170k maskable tokens, a fixed seed: each share is within 3–4 standard deviations of its target.
    const big: MlmExample[] = groupTexts(wpTokenizer, lines(sentences(24000, 11)), 64);
    const m = maskBatch(big, options(), new SeededRng(2024));
    let maskable = 0;
    for (const e of big) for (const s of e.special) maskable += 1 - s;
    const chosen = m.positions.length;
    expect(maskable).toBeGreaterThan(150_000);
    expect(Math.abs(chosen / maskable - 0.15)).toBeLessThan(0.003);
    let asMask = 0;
    let unchanged = 0;
    const randomIds = new Map<number, number>();
    m.positions.forEach((p, k) => {
      const id = m.inputIds[p]!;
      if (id === MASK) asMask++;
      else if (id === m.labels[k]) unchanged++;
      else randomIds.set(id, (randomIds.get(id) ?? 0) + 1);
    });
    // A random draw can hit the original token (1 in V) or [MASK]: corrected for below.
    const V = wpTokenizer.vocabSize;
    const random = chosen - asMask - unchanged;
    expect(Math.abs(asMask / chosen - (0.8 + 0.1 / V))).toBeLessThan(0.01);
    expect(Math.abs(random / chosen - 0.1 * (1 - 2 / V))).toBeLessThan(0.01);
    expect(Math.abs(unchanged / chosen - (0.1 + 0.1 / V))).toBeLessThan(0.01);
    // Random replacements are uniform over the whole vocabulary, specials included (HF's randint).
    expect(randomIds.size).toBe(V - 1); // every id but [MASK] (counted as masked above)
    for (const c of randomIds.values()) expect(Math.abs(c / random - 1 / V)).toBeLessThan(0.01);
  });

  it('gives the same masks for the same seed, other masks for another, and the same when a batch is split into micro-batches', () => {
    const rows = examples.slice(0, 32);
    const a = maskBatch(rows, options(), batchMaskRng(42, 0, 3));
    expect(maskBatch(rows, options(), batchMaskRng(42, 0, 3))).toEqual(a);
    expect(maskBatch(rows, options(), batchMaskRng(42, 1, 3)).positions).not.toEqual(a.positions); // next epoch: new masks
    expect(maskBatch(rows, options(), batchMaskRng(43, 0, 3)).positions).not.toEqual(a.positions);
    // Micro-batches masked one after another with the batch's rng = the whole batch masked.
    const rng = batchMaskRng(42, 0, 3);
    const parts = [maskBatch(rows.slice(0, 16), options(), rng), maskBatch(rows.slice(16), options(), rng)];
    const flat = (m: typeof a, rowOffset: number) => [...m.positions].map((p) => [rowOffset + Math.floor(p / m.length), p % m.length, m.inputIds[p]]);
    expect([...flat(parts[0]!, 0), ...flat(parts[1]!, 16)]).toEqual(flat(a, 0));
  });
});

/** Python's round(): exact halves to the even neighbour. */
const pythonRound = (x: number) => (x - Math.floor(x) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x));

describe('whole-word masking', () => {
  const words = lineByLine(wpTokenizer, lines(sentences(300, 3)), 48);
  const isContinuation = options().isContinuation!;

  it('chooses every WordPiece of a word together, round(len · p) tokens per example', () => {
    const m = maskBatch(words, options({ wholeWordMask: true }), new SeededRng(5));
    const T = m.length;
    const chosen = new Set(m.positions);
    let sawMultiPiece = false;
    words.forEach((e, b) => {
      let count = 0;
      for (let t = 0; t < e.inputIds.length; t++) {
        if (!chosen.has(b * T + t)) continue;
        count++;
        expect(e.special[t]).toBe(0);
        // a chosen start of a word takes its continuations; a chosen continuation its start
        if (t + 1 < e.inputIds.length && isContinuation(e.inputIds[t + 1]!)) {
          expect(chosen.has(b * T + t + 1)).toBe(true);
          sawMultiPiece = true;
        }
        if (isContinuation(e.inputIds[t]!)) expect(chosen.has(b * T + t - 1)).toBe(true);
      }
      // max(1, round(len · 0.15)) with Python's round; a word that does not fit is skipped, so a little fewer is possible
      const target = Math.max(1, pythonRound(e.inputIds.length * 0.15));
      expect(count).toBeLessThanOrEqual(target);
      expect(count).toBeGreaterThanOrEqual(target - 2); // words here have at most 3 pieces
    });
    expect(sawMultiPiece).toBe(true);
  });

  it('never chooses [CLS], [SEP] or padding, and is reproducible', () => {
    const a = maskBatch(words.slice(0, 50), options({ wholeWordMask: true, mlmProbability: 0.5 }), new SeededRng(8));
    const T = a.length;
    for (const p of a.positions) {
      const e = words[Math.floor(p / T)]!;
      expect(p % T).toBeLessThan(e.inputIds.length);
      expect([CLS, SEP]).not.toContain(e.inputIds[p % T]);
    }
    expect(maskBatch(words.slice(0, 50), options({ wholeWordMask: true, mlmProbability: 0.5 }), new SeededRng(8))).toEqual(a);
  });

  it("predicts round(len · p) tokens with Python's rounding: 30 tokens × 0.15 = 4.5 → 4", () => {
    const example = lineByLine(wpTokenizer, lines([Array(28).fill('cat').join(' ')]), 64);
    expect(example[0]!.inputIds).toHaveLength(30);
    for (let seed = 0; seed < 5; seed++) expect(maskBatch(example, options({ wholeWordMask: true }), new SeededRng(seed)).positions).toHaveLength(4);
  });
});
