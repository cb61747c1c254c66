// The byte-level BPE tokenizer against the tiny-roberta goldens (an independent reference of HF's
// RobertaTokenizer with roberta-base's vocabulary): every case id for id.
import { robertaFile, robertaGoldens, robertaTokenizer } from './roberta-fixture.js';

const tokenizer = robertaTokenizer();
const goldens = robertaGoldens();

describe('tiny-roberta tokenizer-goldens.jsonl', () => {
  it('has the 300 cases, pairs and truncated ones among them', () => {
    expect(goldens).toHaveLength(300);
    expect(goldens.some((g) => g.text_pair !== undefined)).toBe(true);
    expect(goldens.some((g) => g.max_length !== undefined && g.text_pair !== undefined)).toBe(true);
  });

  it.each(goldens.map((g, i) => [i, g] as const))('case %i', (_i, g) => {
    expect(tokenizer.tokenize(g.text)).toEqual(g.tokens);
    const enc = tokenizer.encode(g.text, g.text_pair, g.max_length === undefined ? {} : { maxLength: g.max_length });
    expect(enc.inputIds).toEqual(g.input_ids);
    expect(enc.attentionMask).toEqual(g.attention_mask);
    expect(enc.tokenTypeIds).toEqual(g.input_ids.map(() => 0));
  });

  it('matches the goldens in one batch too', () => {
    const byLength = new Map<number | undefined, typeof goldens>();
    for (const g of goldens) byLength.set(g.max_length, [...(byLength.get(g.max_length) ?? []), g]);
    for (const [maxLength, group] of byLength) {
      const encs = tokenizer.encodeBatch(group.map((g) => ({ text: g.text, textPair: g.text_pair })), maxLength === undefined ? {} : { maxLength });
      expect(encs.map((e) => e.inputIds)).toEqual(group.map((g) => g.input_ids));
    }
  });
});

describe('tiny-roberta goldens.json (padded to max_length)', () => {
  interface Goldens {
    max_length: number;
    cases: { text: string; text_pair?: string }[];
    input_ids: number[][];
    attention_mask: number[][];
    token_type_ids: number[][];
  }
  const g = JSON.parse(robertaFile('goldens.json')) as Goldens;

  it('gives every case its input_ids, attention_mask and token_type_ids', () => {
    expect(g.cases).toHaveLength(8);
    const encs = tokenizer.encodeBatch(
      g.cases.map((c) => ({ text: c.text, textPair: c.text_pair })),
      { maxLength: g.max_length, padding: 'max_length' },
    );
    expect(encs.map((e) => e.inputIds)).toEqual(g.input_ids);
    expect(encs.map((e) => e.attentionMask)).toEqual(g.attention_mask);
    expect(encs.map((e) => e.tokenTypeIds)).toEqual(g.token_type_ids);
  });
});

describe('documented encodings (README of the fixture)', () => {
  // transformers' RobertaTokenizer docstring and fairseq's RobertaHubInterface.encode docstring.
  it.each([
    ['Hello world', [0, 31414, 232, 2]],
    [' Hello world', [0, 20920, 232, 2]],
    [' world', [0, 232, 2]],
    ['world', [0, 8331, 2]],
  ])('%j -> %j', (text, ids) => {
    expect(tokenizer.encode(text).inputIds).toEqual(ids);
  });

  // dotnet/machinelearning's EnglishRobertaTests (GPT-2 ids; the BPE tokens are the same).
  it.each([
    ['Hello Berta', ['Hello', 'ĠBert', 'a']],
    ['In the night.', ['In', 'Ġthe', 'Ġnight', '.']],
  ])('%j tokenizes as %j', (text, tokens) => {
    expect(tokenizer.tokenize(text)).toEqual(tokens);
  });
});
