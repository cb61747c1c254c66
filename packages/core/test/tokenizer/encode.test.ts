// Encoding: the [CLS]/[SEP] layout, every truncation strategy, padding, batches, special tokens
// in text and decoding. Hand-checked on a tiny vocabulary (ids in tiny-vocab.ts).
import { MaxPoolBertError } from '../../src/errors.js';
import { BertTokenizer } from '../../src/tokenizer/index.js';
import { BERT_UNCASED_VOCAB } from './fixtures.js';
import { TINY_VOCAB_TEXT } from './tiny-vocab.js';

const tiny = BertTokenizer.fromVocabText(TINY_VOCAB_TEXT);
const bert = BertTokenizer.fromVocabText(BERT_UNCASED_VOCAB());

const SIX = 'the cat sat on the mat'; // [5, 6, 7, 8, 5, 9]
const THREE = 'the cat sat'; // [5, 6, 7]
const TWO = 'the cat'; // [5, 6]

describe('encode layout', () => {
  it('is [CLS] A [SEP] with type ids 0 for one text', () => {
    expect(tiny.encode(SIX)).toEqual({
      inputIds: [2, 5, 6, 7, 8, 5, 9, 3],
      tokenTypeIds: [0, 0, 0, 0, 0, 0, 0, 0],
      attentionMask: [1, 1, 1, 1, 1, 1, 1, 1],
    });
  });

  it('is [CLS] A [SEP] B [SEP] with type 1 from B through the last [SEP]', () => {
    expect(tiny.encode(TWO, 'hello world')).toEqual({
      inputIds: [2, 5, 6, 3, 18, 19, 3],
      tokenTypeIds: [0, 0, 0, 0, 1, 1, 1],
      attentionMask: [1, 1, 1, 1, 1, 1, 1],
    });
  });

  it('gives [CLS] [SEP] for empty or blank text, and an empty pair still gets its [SEP]', () => {
    expect(bert.encode('').inputIds).toEqual([101, 102]);
    expect(bert.encode('  \t\n\u3000 ').inputIds).toEqual([101, 102]);
    expect(bert.encode('\u0000\u200b').inputIds).toEqual([101, 102]);
    expect(bert.encode('', '')).toEqual({ inputIds: [101, 102, 102], tokenTypeIds: [0, 0, 1], attentionMask: [1, 1, 1] });
    expect(bert.encode('hi', null).inputIds).toEqual(bert.encode('hi').inputIds);
  });

  it('adds no special tokens when asked, and then (as HF slow) gives B type id 0 too', () => {
    expect(tiny.encode(TWO, 'hello', { addSpecialTokens: false })).toEqual({
      inputIds: [5, 6, 18],
      tokenTypeIds: [0, 0, 0],
      attentionMask: [1, 1, 1],
    });
    // Truncation then counts no special tokens.
    expect(tiny.encode(SIX, undefined, { addSpecialTokens: false, maxLength: 2 }).inputIds).toEqual([5, 6]);
  });

  it('maps out-of-vocabulary words to [UNK]', () => {
    expect(tiny.encode('the zebra').inputIds).toEqual([2, 5, 1, 3]);
  });
});

describe('special tokens in text', () => {
  it('cuts special tokens out wherever they appear, case-sensitively, and keeps them whole', () => {
    expect(bert.tokenize('hello[SEP]world [MASK]! [cls] [CLS]x [UNK][PAD]')).toEqual([
      'hello', '[SEP]', 'world', '[MASK]', '!', '[', 'cl', '##s', ']', '[CLS]', 'x', '[UNK]', '[PAD]',
    ]);
    expect(bert.encode('a [MASK] b').inputIds).toEqual([101, 1037, 103, 1038, 102]);
  });

  it('keeps extra special tokens from the config whole too', () => {
    const t = BertTokenizer.fromVocabText(TINY_VOCAB_TEXT + '<ent>\n', { additional_special_tokens: ['<ent>'] });
    expect(t.tokenize('the<ent>cat')).toEqual(['the', '<ent>', 'cat']);
    expect(t.encode('the<ent>cat').inputIds).toEqual([2, 5, 29, 6, 3]);
    expect(t.decode([2, 5, 29, 6, 3], { skipSpecialTokens: true })).toBe('the cat');
  });

  it('passes never_split words through (as whole words only), out-of-vocabulary ones as [UNK]', () => {
    const t = BertTokenizer.fromVocabText(TINY_VOCAB_TEXT, { never_split: ['cats', 'CAT!'] });
    expect(t.tokenize('cats CAT! cat!')).toEqual(['cats', 'CAT!', 'cat', '!']);
    expect(t.encode('cats CAT!').inputIds).toEqual([2, 1, 1, 3]);
  });
});

describe('truncation', () => {
  it('longest_first on one text keeps the start', () => {
    expect(tiny.encode(SIX, undefined, { maxLength: 5 }).inputIds).toEqual([2, 5, 6, 7, 3]);
    expect(tiny.encode(SIX, undefined, { maxLength: 3, truncation: 'longest_first' }).inputIds).toEqual([2, 5, 3]);
  });

  it('is the default when only maxLength is given, and absent without maxLength', () => {
    expect(tiny.encode(SIX, THREE, { maxLength: 9 })).toEqual(
      tiny.encode(SIX, THREE, { maxLength: 9, truncation: 'longest_first' }),
    );
    expect(tiny.encode(SIX + ' ' + SIX).inputIds).toHaveLength(14);
  });

  it('longest_first cuts the longer text down to the other, then both alternately', () => {
    // 6 + 4 tokens into a budget of 9 - 3 = 6: first loses 2 (to 4), then one each -> 3 + 3.
    expect(tiny.encode(SIX, 'hello world ! .', { maxLength: 9 })).toEqual({
      inputIds: [2, 5, 6, 7, 3, 18, 19, 17, 3],
      tokenTypeIds: [0, 0, 0, 0, 0, 1, 1, 1, 1],
      attentionMask: [1, 1, 1, 1, 1, 1, 1, 1, 1],
    });
  });

  it('longest_first removes from the second text on a tie', () => {
    // 3 + 3 into 5: the one token goes from the second.
    expect(tiny.encode(THREE, 'hello world !', { maxLength: 8 }).inputIds).toEqual([2, 5, 6, 7, 3, 18, 19, 3]);
    // 2 + 6 into an odd budget of 3: second goes to 2, then the tie costs the second again -> 2 + 1
    // (HF slow; the Rust fast tokenizer would give 1 + 2 here).
    expect(tiny.encode(TWO, SIX, { maxLength: 6 }).inputIds).toEqual([2, 5, 6, 3, 5, 3]);
  });

  it('longest_first may empty both texts of a pair, but not go below the special tokens', () => {
    expect(tiny.encode(SIX, SIX, { maxLength: 3 }).inputIds).toEqual([2, 3, 3]);
    expect(() => tiny.encode(SIX, SIX, { maxLength: 2 })).toThrow(MaxPoolBertError);
    expect(() => tiny.encode(SIX, undefined, { maxLength: 2 })).toThrow(/maxLength larger than 2/);
  });

  it('only_first cuts the first text only', () => {
    expect(tiny.encode(SIX, 'hello world', { maxLength: 8, truncation: 'only_first' }).inputIds).toEqual([
      2, 5, 6, 7, 3, 18, 19, 3,
    ]);
  });

  it('only_first throws when the first text cannot absorb the cut', () => {
    expect(() => tiny.encode(TWO, SIX, { maxLength: 8, truncation: 'only_first' })).toThrow(MaxPoolBertError);
    expect(() => tiny.encode(TWO, SIX, { maxLength: 8, truncation: 'only_first' })).toThrow(
      /truncation: only_first: cannot fit 2 \+ 6 tokens .* maxLength 8 .* removing 3 tokens from the first sequence, which has only 2/,
    );
    // As in HF, emptying the first text entirely counts as not fitting.
    expect(() => tiny.encode(THREE, SIX, { maxLength: 9, truncation: 'only_first' })).toThrow(/only_first/);
  });

  it('only_second cuts the second text only, and throws when it cannot', () => {
    expect(tiny.encode(TWO, SIX, { maxLength: 8, truncation: 'only_second' }).inputIds).toEqual([2, 5, 6, 3, 5, 6, 7, 3]);
    expect(() => tiny.encode(SIX, TWO, { maxLength: 8, truncation: 'only_second' })).toThrow(/only_second/);
    // A single text that fits needs no truncation; one that does not cannot use only_second.
    expect(tiny.encode(TWO, undefined, { maxLength: 8, truncation: 'only_second' }).inputIds).toEqual([2, 5, 6, 3]);
    expect(() => tiny.encode(SIX, undefined, { maxLength: 5, truncation: 'only_second' })).toThrow(/single sequence/);
  });

  it('do_not_truncate leaves long input alone, even with padding to max_length', () => {
    expect(tiny.encode(SIX, undefined, { maxLength: 4, truncation: 'do_not_truncate', padding: 'max_length' }).inputIds).toEqual([
      2, 5, 6, 7, 8, 5, 9, 3,
    ]);
  });
});

describe('padding', () => {
  it('pads on the right to max_length with [PAD], type 0 and mask 0', () => {
    expect(tiny.encode(TWO, 'hello', { maxLength: 9, padding: 'max_length' })).toEqual({
      inputIds: [2, 5, 6, 3, 18, 3, 0, 0, 0],
      tokenTypeIds: [0, 0, 0, 0, 1, 1, 0, 0, 0],
      attentionMask: [1, 1, 1, 1, 1, 1, 0, 0, 0],
    });
    expect(tiny.padId).toBe(0);
  });

  it('does not pad a single encode with longest or none', () => {
    expect(tiny.encode(TWO, undefined, { padding: 'longest', maxLength: 10 }).inputIds).toEqual([2, 5, 6, 3]);
    expect(tiny.encode(TWO, undefined, { maxLength: 10 }).inputIds).toEqual([2, 5, 6, 3]);
  });

  it('pads a batch to its longest member', () => {
    const encs = tiny.encodeBatch(['hello', { text: THREE }, { text: TWO, textPair: 'hello' }], { padding: 'longest' });
    expect(encs.map((e) => e.inputIds)).toEqual([
      [2, 18, 3, 0, 0, 0],
      [2, 5, 6, 7, 3, 0],
      [2, 5, 6, 3, 18, 3],
    ]);
    expect(encs.map((e) => e.attentionMask)).toEqual([
      [1, 1, 1, 0, 0, 0],
      [1, 1, 1, 1, 1, 0],
      [1, 1, 1, 1, 1, 1],
    ]);
    expect(encs[2]!.tokenTypeIds).toEqual([0, 0, 0, 0, 1, 1]);
  });

  it('truncates then pads a batch to max_length', () => {
    const encs = tiny.encodeBatch([SIX, 'hello'], { maxLength: 5, padding: 'max_length' });
    expect(encs.map((e) => e.inputIds)).toEqual([
      [2, 5, 6, 7, 3],
      [2, 18, 3, 0, 0],
    ]);
  });

  it('leaves a batch unpadded by default, and handles an empty batch', () => {
    expect(tiny.encodeBatch(['hello', THREE]).map((e) => e.inputIds.length)).toEqual([3, 5]);
    expect(tiny.encodeBatch([], { padding: 'longest' })).toEqual([]);
  });
});

describe('options are validated', () => {
  it('rejects bad maxLength, strategies, and max_length padding without a length', () => {
    expect(() => tiny.encode('a', undefined, { maxLength: 0 })).toThrow(/maxLength: must be a positive integer/);
    expect(() => tiny.encode('a', undefined, { maxLength: 2.5 })).toThrow(MaxPoolBertError);
    expect(() => tiny.encode('a', undefined, { maxLength: 4, truncation: 'left' as never })).toThrow(/truncation: unknown strategy/);
    expect(() => tiny.encode('a', undefined, { padding: 'yes' as never })).toThrow(/padding: unknown strategy/);
    expect(() => tiny.encode('a', undefined, { padding: 'max_length' })).toThrow(/needs a maxLength/);
    expect(() => tiny.encodeBatch(['a'], { padding: 'max_length' })).toThrow(/needs a maxLength/);
  });
});

describe('ids, tokens and decoding', () => {
  it('converts between tokens and ids, unknowns to [UNK]', () => {
    expect(tiny.convertTokensToIds(['the', '##s', 'nope'])).toEqual([5, 11, 1]);
    expect(tiny.convertIdsToTokens([5, 11, 9999, -1])).toEqual(['the', '##s', '[UNK]', '[UNK]']);
    expect(tiny.tokenToId('cat')).toBe(6);
    expect(tiny.tokenToId('nope')).toBeUndefined();
    expect(tiny.idToToken(6)).toBe('cat');
    expect([tiny.clsId, tiny.sepId, tiny.padId, tiny.unkId, tiny.maskId]).toEqual([2, 3, 0, 1, 4]);
    expect(tiny.vocabSize).toBe(29);
    expect(bert.vocabSize).toBe(30522);
    expect(tiny.numSpecialTokensToAdd()).toBe(2);
    expect(tiny.numSpecialTokensToAdd(true)).toBe(3);
  });

  it('decodes like HF: ## glued, spaces before punctuation and clitics removed', () => {
    const ids = bert.encode("Hello, world! It's un-affable.").inputIds;
    expect(bert.decode(ids)).toBe("[CLS] hello, world! it's un - affable. [SEP]");
    expect(bert.decode(ids, { skipSpecialTokens: true })).toBe("hello, world! it's un - affable.");
    expect(bert.decode(ids, { skipSpecialTokens: true, cleanUpTokenizationSpaces: false })).toBe(
      "hello , world ! it ' s un - affable .",
    );
    expect(bert.decode(bert.encode('a', 'b', { maxLength: 8, padding: 'max_length' }).inputIds, { skipSpecialTokens: true })).toBe('a b');
    expect(bert.decode([])).toBe('');
  });
});
