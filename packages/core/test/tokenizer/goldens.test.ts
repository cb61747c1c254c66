// The tokenizer against the shared goldens (an independent reference implementation of HF's
// BertTokenizer with bert-base-uncased): every case must match token for token, id for id.
import { BertTokenizer } from '../../src/tokenizer/index.js';
import { BERT_UNCASED_VOCAB, readFixture, readGoldens } from './fixtures.js';

const tokenizer = BertTokenizer.fromVocabText(BERT_UNCASED_VOCAB(), { do_lower_case: true });
const goldens = readGoldens();

describe('tokenizer-goldens.jsonl (bert-base-uncased)', () => {
  it('has the 300 cases', () => {
    expect(goldens).toHaveLength(300);
  });

  it.each(goldens.map((g, i) => [i, g] as const))('case %i', (_i, g) => {
    expect(tokenizer.tokenize(g.text)).toEqual(g.tokens);
    const enc = tokenizer.encode(g.text, g.text_pair, g.max_length === undefined ? {} : { maxLength: g.max_length });
    expect(enc.inputIds).toEqual(g.input_ids);
    expect(enc.tokenTypeIds).toEqual(g.token_type_ids);
    expect(enc.attentionMask).toEqual(g.input_ids.map(() => 1));
  });

  it('matches the goldens in one batch too', () => {
    // Batch encoding must not change anything per item (no padding asked).
    const byLength = new Map<number | undefined, typeof goldens>();
    for (const g of goldens) byLength.set(g.max_length, [...(byLength.get(g.max_length) ?? []), g]);
    for (const [maxLength, group] of byLength) {
      const encs = tokenizer.encodeBatch(
        group.map((g) => ({ text: g.text, textPair: g.text_pair })),
        maxLength === undefined ? {} : { maxLength },
      );
      expect(encs.map((e) => e.inputIds)).toEqual(group.map((g) => g.input_ids));
      expect(encs.map((e) => e.tokenTypeIds)).toEqual(group.map((g) => g.token_type_ids));
    }
  });
});

describe('tiny-bert goldens.json (vocab.txt + tokenizer_config.json)', () => {
  interface TinyGoldens {
    max_length: number;
    cases: { text: string; text_pair?: string }[];
    input_ids: number[][];
    token_type_ids: number[][];
    attention_mask: number[][];
  }
  const tiny = BertTokenizer.fromVocabText(
    readFixture('tiny-bert', 'vocab.txt'),
    readFixture('tiny-bert', 'tokenizer_config.json'),
  );
  const g = JSON.parse(readFixture('tiny-bert', 'goldens.json')) as TinyGoldens;

  it('reads model_max_length and lower-casing from the config', () => {
    expect(tiny.modelMaxLength).toBe(128);
    expect(tiny.doLowerCase).toBe(true);
  });

  it('encodes each case padded to max_length', () => {
    g.cases.forEach((c, i) => {
      const enc = tiny.encode(c.text, c.text_pair, { maxLength: g.max_length, padding: 'max_length' });
      expect(enc.inputIds).toEqual(g.input_ids[i]);
      expect(enc.tokenTypeIds).toEqual(g.token_type_ids[i]);
      expect(enc.attentionMask).toEqual(g.attention_mask[i]);
    });
  });

  it('encodes the cases as one batch padded to max_length', () => {
    const encs = tiny.encodeBatch(
      g.cases.map((c) => ({ text: c.text, textPair: c.text_pair })),
      { maxLength: g.max_length, padding: 'max_length' },
    );
    expect(encs.map((e) => e.inputIds)).toEqual(g.input_ids);
    expect(encs.map((e) => e.tokenTypeIds)).toEqual(g.token_type_ids);
    expect(encs.map((e) => e.attentionMask)).toEqual(g.attention_mask);
  });
});
