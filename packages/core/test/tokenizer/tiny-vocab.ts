// A hand-written vocabulary small enough to check truncation and WordPiece by hand.
export const TINY_TOKENS = [
  '[PAD]', // 0
  '[UNK]', // 1
  '[CLS]', // 2
  '[SEP]', // 3
  '[MASK]', // 4
  'the', // 5
  'cat', // 6
  'sat', // 7
  'on', // 8
  'mat', // 9
  'a', // 10
  '##s', // 11
  'un', // 12
  '##aff', // 13
  '##able', // 14
  '.', // 15
  ',', // 16
  '!', // 17
  'hello', // 18
  'world', // 19
  'dog', // 20
  '##gy', // 21
  'b', // 22
  'c', // 23
  'd', // 24
  'e', // 25
  '##a', // 26
  '😀', // 27
  '##😀', // 28
];

export const TINY_VOCAB_TEXT = TINY_TOKENS.join('\n') + '\n';
