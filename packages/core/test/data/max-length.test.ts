import { checkMaxLength, smallestMaxLength } from '../../src/data/max-length';
import { BertTokenizer } from '../../src/tokenizer/index.js';
import { encodeExamples } from '../../src/train/encode-dataset';
import { validateTrainOptions, DEFAULT_TRAIN_OPTIONS } from '../../src/train/options';
import { TINY_VOCAB_TEXT } from '../tokenizer/tiny-vocab.js';

const tokenizer = BertTokenizer.fromVocabText(TINY_VOCAB_TEXT);
const single = [{ text: 'the cat sat', label: 0, line: 2 }];
const pairs = [{ text: 'the cat', textPair: 'the mat', label: 0, line: 7 }];

describe('a max length too small to hold a token', () => {
  it('the smallest usable values: [CLS] x [SEP], and [CLS] a [SEP] b [SEP]', () => {
    expect(smallestMaxLength(false)).toBe(3);
    expect(smallestMaxLength(true)).toBe(5);
    // They are the smallest that keep a token of every text.
    expect(tokenizer.encode('the cat sat', undefined, { maxLength: 3 }).inputIds).toHaveLength(3);
    const pair = tokenizer.encode('the cat', 'the mat', { maxLength: 5 });
    expect(pair.tokenTypeIds).toEqual([0, 0, 0, 1, 1]);
    // One less drops the pair's second text without a word: what checkMaxLength prevents.
    expect(tokenizer.encode('the cat', 'the mat', { maxLength: 4 }).tokenTypeIds).toEqual([0, 0, 0, 1]);
  });

  it('is an error naming the file, the first example\'s line and the smallest usable value', () => {
    expect(() => checkMaxLength(single, 2, 'train.csv')).toThrow(
      'train.csv: line 2: max length 2 cannot hold any token of the text ([CLS] and [SEP] take 2) (the smallest usable max length is 3)',
    );
    expect(() => checkMaxLength(pairs, 4, 'MRPC/train.tsv')).toThrow(
      'MRPC/train.tsv: line 7: max length 4 cannot hold a token of both texts of a pair ([CLS] A [SEP] B [SEP] takes 3) (the smallest usable max length is 5)',
    );
    expect(() => checkMaxLength(single, 3, 'train.csv')).not.toThrow();
    expect(() => checkMaxLength(pairs, 5, 'train.csv')).not.toThrow();
  });

  it('encoding a dataset for training or evaluation checks it', () => {
    expect(() => encodeExamples(tokenizer, pairs, 4, 'dev.tsv')).toThrow(/^dev\.tsv: line 7: max length 4 /);
    expect(encodeExamples(tokenizer, pairs, 5, 'dev.tsv')[0].inputIds).toHaveLength(5);
  });

  it('the training options refuse a maxLength below 3', () => {
    expect(validateTrainOptions({ ...DEFAULT_TRAIN_OPTIONS, maxLength: 2 })).toEqual([
      'maxLength must be at least 3 ([CLS], a token, [SEP]; 5 for text pairs), got 2',
    ]);
    expect(validateTrainOptions({ ...DEFAULT_TRAIN_OPTIONS, maxLength: 3 })).toEqual([]);
  });
});
