// Byte-level BPE encoding beyond the goldens: special tokens written in the text (with <mask>'s
// lstrip), add_prefix_space, padding and truncation options, and decoding back to text.
import { ByteLevelBpeTokenizer, type Tokenizer } from '../../../src/tokenizer/index.js';
import { robertaFile, robertaGoldens, robertaTokenizer } from './roberta-fixture.js';

const tok = robertaTokenizer();
const id = (token: string): number => {
  const i = tok.tokenToId(token);
  if (i === undefined) throw new Error(`no token ${token}`);
  return i;
};
const withConfig = (config: Record<string, unknown>) =>
  ByteLevelBpeTokenizer.fromVocabAndMerges(robertaFile('vocab.json'), robertaFile('merges.txt'), {
    ...JSON.parse(robertaFile('tokenizer_config.json')),
    ...config,
  });

describe('settings from the fixture', () => {
  it('implements Tokenizer with RoBERTa\'s special tokens', () => {
    const t: Tokenizer = tok;
    expect(t.kind).toBe('byte-level-bpe');
    expect([t.clsToken, t.sepToken, t.padToken, t.unkToken, t.maskToken]).toEqual(['<s>', '</s>', '<pad>', '<unk>', '<mask>']);
    expect([t.clsId, t.padId, t.sepId, t.unkId, t.maskId]).toEqual([0, 1, 2, 3, 50264]);
    expect(t.vocabSize).toBe(50265);
    expect(t.modelMaxLength).toBe(64);
    expect(t.cleanUpTokenizationSpaces).toBe(false);
    expect(tok.addPrefixSpace).toBe(false);
    expect([t.numSpecialTokensToAdd(), t.numSpecialTokensToAdd(true)]).toEqual([2, 4]);
    expect(t.convertIdsToTokens([31414, 232, 99999])).toEqual(['Hello', 'Ġworld', '<unk>']);
    expect(t.convertTokensToIds(['Hello', 'no-such-token'])).toEqual([31414, 3]);
  });
});

describe('special tokens in the text', () => {
  it('keeps them whole, wherever they are', () => {
    expect(tok.tokenize('<s>Hello</s></s>world<pad>')).toEqual(['<s>', 'Hello', '</s>', '</s>', 'world', '<pad>']);
    expect(tok.encode('x<unk>y').inputIds).toEqual([0, id('x'), 3, id('y'), 2]);
    // Not a special token: "<s" and "mask>" are plain text.
    expect(tok.tokenize('<s <mask')).toEqual(tok.tokenize('<s').concat(tok.tokenize(' <mask')));
  });

  it('lets <mask> take the space before it (lstrip), as RobertaTokenizer does, but no other token', () => {
    expect(tok.tokenize('Hello <mask> world')).toEqual(['Hello', '<mask>', 'Ġworld']);
    expect(tok.tokenize('Hello \t <mask>!')).toEqual(['Hello', '<mask>', '!']);
    expect(tok.tokenize('Hello </s> world')).toEqual(['Hello', 'Ġ', '</s>', 'Ġworld']);
    expect(tok.encode('The capital is <mask>.').inputIds).toEqual([0, id('The'), id('Ġcapital'), id('Ġis'), 50264, id('.'), 2]);
  });

  it('follows added_tokens_decoder flags when the config gives them', () => {
    const plain = withConfig({ added_tokens_decoder: { '50264': { content: '<mask>', lstrip: false, rstrip: true, special: true } } });
    expect(plain.tokenize('Hello <mask> world')).toEqual(['Hello', 'Ġ', '<mask>', 'world']);
    // Older configs give the flags on the token itself.
    const old = withConfig({ mask_token: { content: '<mask>', lstrip: false, rstrip: false, __type: 'AddedToken' } });
    expect(old.tokenize('a <mask>')).toEqual(['a', 'Ġ', '<mask>']);
  });
});

describe('add_prefix_space', () => {
  const prefixed = withConfig({ add_prefix_space: true });

  it('makes the first word tokenize like the others', () => {
    expect(prefixed.encode('Hello world').inputIds).toEqual([0, 20920, 232, 2]);
    expect(prefixed.encode(' Hello world').inputIds).toEqual([0, 20920, 232, 2]);
    expect(prefixed.encode('world', 'world').inputIds).toEqual([0, 232, 2, 2, 232, 2]);
    expect(prefixed.tokenize('')).toEqual([]);
    expect(prefixed.tokenize('<mask> is')).toEqual(['<mask>', 'Ġis']);
  });
});

describe('encode options', () => {
  it('pads a batch with <pad> and attention 0', () => {
    const [a, b] = tok.encodeBatch(['Hello world', 'world'], { padding: 'longest' });
    expect(a!.inputIds).toEqual([0, 31414, 232, 2]);
    expect(b!.inputIds).toEqual([0, 8331, 2, 1]);
    expect(b!.attentionMask).toEqual([1, 1, 1, 0]);
    expect(b!.tokenTypeIds).toEqual([0, 0, 0, 0]);
    expect(tok.encode('world', null, { maxLength: 6, padding: 'max_length' }).inputIds).toEqual([0, 8331, 2, 1, 1, 1]);
  });

  it('counts the four special tokens of a pair when truncating', () => {
    expect(tok.encode('Hello world', ' world world', { maxLength: 6 }).inputIds).toEqual([0, 31414, 2, 2, 232, 2]);
    expect(tok.encode('Hello world', ' world', { maxLength: 6, truncation: 'only_first' }).inputIds).toEqual([0, 31414, 2, 2, 232, 2]);
    expect(() => tok.encode('Hello', 'world', { maxLength: 3 })).toThrow(/smaller than the 4 special tokens a pair needs/);
  });

  it('leaves out the special tokens when asked', () => {
    expect(tok.encode('Hello world', ' world', { addSpecialTokens: false })).toEqual({
      inputIds: [31414, 232, 232],
      tokenTypeIds: [0, 0, 0],
      attentionMask: [1, 1, 1],
    });
  });
});

describe('decode', () => {
  it('gives back every golden text exactly (byte-level BPE loses nothing)', () => {
    for (const g of robertaGoldens()) {
      expect(tok.decode(tok.encode(g.text).inputIds, { skipSpecialTokens: true })).toBe(g.text);
      if (g.text_pair !== undefined) {
        expect(tok.decode(tok.encode(g.text, g.text_pair).inputIds)).toBe(`<s>${g.text}</s></s>${g.text_pair}</s>`);
      }
    }
  });

  it('keeps special tokens unless skipped, and cleans up spaces only when asked', () => {
    const ids = tok.encode('Hello <mask> , world .').inputIds;
    expect(tok.decode(ids)).toBe('<s>Hello<mask> , world .</s>');
    expect(tok.decode(ids, { skipSpecialTokens: true })).toBe('Hello , world .');
    expect(tok.decode(ids, { skipSpecialTokens: true, cleanUpTokenizationSpaces: true })).toBe('Hello, world.');
    expect(withConfig({ clean_up_tokenization_spaces: true }).decode(ids, { skipSpecialTokens: true })).toBe('Hello, world.');
  });

  it('replaces a cut-off UTF-8 sequence with U+FFFD', () => {
    const ids = tok.encode('😀').inputIds.slice(1, -1);
    expect(ids.length).toBeGreaterThan(1);
    expect(tok.decode(ids)).toBe('😀');
    expect(tok.decode(ids.slice(0, 1))).toMatch(/^\uFFFD+$/);
    expect(tok.decode(tok.encode('a\uD800b').inputIds, { skipSpecialTokens: true })).toBe('a\uFFFDb');
    // A leading byte-order mark is text like any other (Python's bytes.decode keeps it).
    expect(tok.decode(tok.encode('\uFEFFHi').inputIds, { skipSpecialTokens: true })).toBe('\uFEFFHi');
  });
});
