/** A small WordPiece vocabulary with `##` continuations, for the pre-training data tests. */
import { BertTokenizer } from '@maxpoolbert/core';

export const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
export const WORDS = ['the', 'a', 'cat', 'dog', 'sat', 'on', 'mat', 'play', 'un', 'believ', 'walk', 'is', 'was', 'very', 'good', 'bad', '.', ','];
export const PIECES = ['##ing', '##ed', '##able', '##s', '##er'];

export const wpTokenizer = BertTokenizer.fromVocabText([...SPECIAL, ...WORDS, ...PIECES].join('\n') + '\n');
export const PAD = 0;
export const CLS = 2;
export const SEP = 3;
export const MASK = 4;

/** A deterministic generator independent of src (an LCG), uniform in [0, 1). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** `n` random sentences of 3–12 words (some split into WordPieces: "playing", "unbelievable"). */
export function sentences(n: number, seed: number): string[] {
  const rand = lcg(seed);
  const vocab = ['the', 'a', 'cat', 'dog', 'sat', 'on', 'mat', 'playing', 'played', 'unbelievable', 'walkers', 'is', 'very', 'good', 'bad', 'cats', 'walked'];
  return Array.from({ length: n }, () => Array.from({ length: 3 + Math.floor(rand() * 10) }, () => vocab[Math.floor(rand() * vocab.length)]).join(' ') + ' .');
}

/** `n` lines drawn from four fixed sentences: a masked word is predictable from its context. */
export function patternedSentences(n: number, seed: number): string[] {
  const templates = ['the cat sat on the mat .', 'a dog was walking , very good .', 'the walkers played a bad dog .', 'unbelievable , the mat is good .'];
  const rand = lcg(seed);
  return Array.from({ length: n }, () => templates[Math.floor(rand() * templates.length)]!);
}
