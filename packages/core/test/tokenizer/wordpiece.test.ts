// Greedy longest-match-first WordPiece, checked by hand on a tiny vocabulary.
import { parseVocabText, WordPiece } from '../../src/tokenizer/index.js';
import { TINY_VOCAB_TEXT } from './tiny-vocab.js';

const vocab = parseVocabText(TINY_VOCAB_TEXT).tokenToId;
const wp = new WordPiece(vocab, { unkToken: '[UNK]' });

describe('WordPiece', () => {
  it('takes the longest prefix, then the longest ##continuations', () => {
    expect(wp.tokenizeWord('unaffable')).toEqual(['un', '##aff', '##able']);
    expect(wp.tokenizeWord('cats')).toEqual(['cat', '##s']);
    expect(wp.tokenizeWord('doggy')).toEqual(['dog', '##gy']);
    expect(wp.tokenizeWord('aa')).toEqual(['a', '##a']);
  });

  it('maps the whole word to [UNK] when any part has no match', () => {
    expect(wp.tokenizeWord('catz')).toEqual(['[UNK]']);
    expect(wp.tokenizeWord('zcat')).toEqual(['[UNK]']);
  });

  it('treats an astral character as one character', () => {
    expect(wp.tokenizeWord('😀😀')).toEqual(['😀', '##😀']);
  });

  it('maps words over max_input_chars_per_word code points to [UNK]', () => {
    expect(wp.tokenizeWord('a'.repeat(100))).toEqual(['a', ...new Array(99).fill('##a')]);
    expect(wp.tokenizeWord('a'.repeat(101))).toEqual(['[UNK]']);
    // 60 emoji are 120 UTF-16 units but 60 characters: still under the limit.
    expect(wp.tokenizeWord('😀'.repeat(60))).toEqual(['😀', ...new Array(59).fill('##😀')]);
    const short = new WordPiece(vocab, { unkToken: '[UNK]', maxInputCharsPerWord: 3 });
    expect(short.tokenizeWord('cat')).toEqual(['cat']);
    expect(short.tokenizeWord('cats')).toEqual(['[UNK]']);
  });

  it('uses the configured continuation prefix', () => {
    const v = new Map([['x', 0], ['@@y', 1], ['[UNK]', 2]]);
    expect(new WordPiece(v, { unkToken: '[UNK]', continuingSubwordPrefix: '@@' }).tokenizeWord('xy')).toEqual(['x', '@@y']);
  });

  it('returns the same answer from its cache', () => {
    expect(wp.tokenizeWord('unaffable')).toEqual(wp.tokenizeWord('unaffable'));
  });
});
