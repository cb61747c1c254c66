// Text → pre-training examples as Hugging Face's run_mlm.py makes them: blank lines dropped,
// grouping ([CLS] line [SEP] concatenated, cut into max_length blocks per 1000-line group, the
// remainder dropped) and line-by-line (truncated to max_length); the seeded validation split.
import { groupTexts, GROUP_TEXTS_LINES, lineByLine, prepareMlmData, splitHeldOut, textLines } from '@maxpoolbert/core';
import { CLS, MASK, PAD, SEP, sentences, wpTokenizer } from './helpers';

const lines = (texts: string[]) => texts.map((text, i) => ({ text, line: i + 1 }));
/** What run_mlm.py's tokenize_function gives for a line: its ids with [CLS] and [SEP]. */
const withSpecials = (text: string) => [CLS, ...wpTokenizer.convertTokensToIds(wpTokenizer.tokenize(text)), SEP];

describe('textLines', () => {
  it('splits at \\n, \\r\\n and \\r, skips blank lines and keeps line numbers', () => {
    expect(textLines('a cat\r\n\n  \t\nthe dog\rsat .\n')).toEqual([
      { text: 'a cat', line: 1 }, { text: 'the dog', line: 4 }, { text: 'sat .', line: 5 },
    ]);
    expect(textLines('')).toEqual([]);
  });
});

describe('groupTexts', () => {
  it('concatenates [CLS] line [SEP] encodings and cuts exact blocks, dropping the remainder', () => {
    const texts = sentences(40, 1);
    const stream = texts.flatMap(withSpecials);
    const blocks = groupTexts(wpTokenizer, lines(texts), 16);
    expect(blocks).toHaveLength(Math.floor(stream.length / 16));
    blocks.forEach((b, i) => {
      expect(b.inputIds).toEqual(stream.slice(i * 16, (i + 1) * 16));
      // special = exactly the [CLS]/[SEP] of the lines that fall into the block
      expect([...b.special]).toEqual(b.inputIds.map((id) => (id === CLS || id === SEP ? 1 : 0)));
    });
    expect(blocks.flatMap((b) => b.inputIds)).toEqual(stream.slice(0, blocks.length * 16));
  });

  it('groups per 1000 lines, as datasets.map(batched=True) does: each group drops its own remainder', () => {
    const texts = sentences(GROUP_TEXTS_LINES + 300, 2);
    const first = texts.slice(0, GROUP_TEXTS_LINES).flatMap(withSpecials);
    const second = texts.slice(GROUP_TEXTS_LINES).flatMap(withSpecials);
    const blocks = groupTexts(wpTokenizer, lines(texts), 32);
    const n1 = Math.floor(first.length / 32);
    expect(blocks).toHaveLength(n1 + Math.floor(second.length / 32));
    expect(blocks[n1]!.inputIds).toEqual(second.slice(0, 32)); // the second group starts afresh
  });

  it('refuses text shorter than one block, naming the file and the fix', () => {
    expect(() => groupTexts(wpTokenizer, lines(['a cat .']), 64, 'notes.txt')).toThrow(/notes\.txt: the text holds 5 tokens, fewer than one block of --max-length 64 .*--line-by-line/);
  });

  it('marks a [MASK] written in the text as special; [UNK] is not', () => {
    const [block] = groupTexts(wpTokenizer, lines(['the [MASK] zebra sat']), 6);
    expect(block!.inputIds).toEqual([CLS, 5, MASK, 1, 9, SEP]);
    expect([...block!.special]).toEqual([1, 0, 1, 0, 0, 1]);
  });
});

describe('lineByLine', () => {
  it('makes one example per line, [CLS] … [SEP], truncated to max_length', () => {
    const texts = ['a cat sat on the mat .', 'the dog'];
    const examples = lineByLine(wpTokenizer, lines(texts), 6);
    expect(examples.map((e) => e.inputIds)).toEqual([withSpecials(texts[0]!).slice(0, 5).concat(SEP), withSpecials(texts[1]!)]);
    expect([...examples[1]!.special]).toEqual([1, 0, 0, 1]);
    expect(examples.every((e) => !e.inputIds.includes(PAD))).toBe(true); // padded per batch, later
  });
});

describe('validation split', () => {
  const items = Array.from({ length: 200 }, (_, i) => i);

  it('holds out a seeded share, disjoint from training, both in file order', () => {
    const a = splitHeldOut(items, 0.05, 3);
    expect(a.heldOut).toHaveLength(10);
    expect([...a.train, ...a.heldOut].sort((x, y) => x - y)).toEqual(items);
    expect(a.heldOut).toEqual([...a.heldOut].sort((x, y) => x - y));
    expect(splitHeldOut(items, 0.05, 3)).toEqual(a);
    expect(splitHeldOut(items, 0.05, 4).heldOut).not.toEqual(a.heldOut);
    expect(a.heldOut).not.toEqual(items.slice(0, 10)); // drawn, not the first lines
    expect(splitHeldOut(items, 0, 3)).toEqual({ train: items, heldOut: [] });
  });

  it('refuses a split that leaves no training line', () => {
    expect(() => splitHeldOut([1], 0.5, 0)).toThrow(/1 lines of text cannot be split .*--validation-text/);
  });

  it('prepareMlmData splits lines before grouping, or takes the given validation lines', () => {
    const texts = lines(sentences(100, 5));
    const data = prepareMlmData(wpTokenizer, { lines: texts, validationSplit: 0.1, splitSeed: 0, maxLength: 16, lineByLine: false });
    expect({ train: data.trainLines, validation: data.validationLines }).toEqual({ train: 90, validation: 10 });
    const { train, heldOut } = splitHeldOut(texts, 0.1, 0);
    expect(data.train).toEqual(groupTexts(wpTokenizer, train, 16));
    expect(data.validation).toEqual(groupTexts(wpTokenizer, heldOut, 16));
    const given = prepareMlmData(wpTokenizer, { lines: texts, validationLines: texts.slice(0, 7), validationSplit: 0.1, splitSeed: 0, maxLength: 16, lineByLine: true });
    expect({ train: given.train.length, validation: given.validation.length }).toEqual({ train: 100, validation: 7 });
  });
});
