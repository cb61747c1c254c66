// Loading byte-level BPE: vocab.json + merges.txt (+ tokenizer_config.json), the tokenizer.json
// form, loadTokenizer's dispatch, and one clear error per kind of bad file.
import { MaxPoolBertError } from '../../../src/errors.js';
import { MemoryModelSource } from '../../../src/io/model-source.js';
import { BertTokenizer, BYTE_TO_CHAR, ByteLevelBpeTokenizer, loadTokenizer } from '../../../src/tokenizer/index.js';
import { TINY_VOCAB_TEXT } from '../tiny-vocab.js';
import { robertaFile, robertaGoldens } from './roberta-fixture.js';

const VOCAB = robertaFile('vocab.json');
const MERGES = robertaFile('merges.txt');
const CONFIG = robertaFile('tokenizer_config.json');
const goldens = robertaGoldens();

function source(files: Record<string, string>, location = '/models/roberta'): MemoryModelSource {
  return new MemoryModelSource(new Map(Object.entries(files).map(([k, v]) => [k, new TextEncoder().encode(v)])), location);
}

function errorOf(fn: () => unknown): MaxPoolBertError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MaxPoolBertError);
    return err as MaxPoolBertError;
  }
  throw new Error('expected an error');
}

async function asyncErrorOf(promise: Promise<unknown>): Promise<MaxPoolBertError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(MaxPoolBertError);
    return err as MaxPoolBertError;
  }
  throw new Error('expected an error');
}

/**
 * roberta-base's tokenizer.json as `tokenizers` writes it (RobertaTokenizerFast.save_pretrained),
 * built from the fixture's vocab.json + merges.txt. `pairMerges`: the newer ["a", "b"] form.
 */
function robertaTokenizerJson(pairMerges = false, vocab = JSON.parse(VOCAB) as Record<string, number>, mergesText = MERGES): Record<string, any> {
  const lines = mergesText.split('\n').filter((l) => l && !l.startsWith('#version'));
  const added = (content: string, lstrip = false) => ({
    id: vocab[content], content, single_word: false, lstrip, rstrip: false, normalized: content !== '<mask>', special: true,
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [added('<s>'), added('<pad>'), added('</s>'), added('<unk>'), added('<mask>', true)],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0], trim_offsets: true, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false,
      vocab,
      merges: pairMerges ? lines.map((l) => l.split(' ')) : lines,
    },
  };
}

/** A small byte-level vocabulary (specials, the 256 byte symbols, three merges), for the error cases. */
const TINY_MERGES = '#version: 0.2\nĠ t\nh e\nĠt he\n';
function tinyVocab(): Record<string, number> {
  const tokens = ['<s>', '<pad>', '</s>', '<unk>', ...BYTE_TO_CHAR, 'Ġt', 'he', 'Ġthe', '<mask>'];
  return Object.fromEntries(tokens.map((t, i) => [t, i]));
}

describe('loadTokenizer with byte-level BPE files', () => {
  it('loads vocab.json + merges.txt + tokenizer_config.json', async () => {
    const t = await loadTokenizer(source({ 'vocab.json': VOCAB, 'merges.txt': MERGES, 'tokenizer_config.json': CONFIG }));
    expect(t).toBeInstanceOf(ByteLevelBpeTokenizer);
    expect(t.kind).toBe('byte-level-bpe');
    expect(t.modelMaxLength).toBe(64);
    expect(t.encode('Hello world').inputIds).toEqual([0, 31414, 232, 2]);
  });

  it.each([false, true])('gives identical ids from a tokenizer.json (pair merges: %s)', async (pairMerges) => {
    const t = await loadTokenizer(source({ 'tokenizer.json': JSON.stringify(robertaTokenizerJson(pairMerges)) }));
    expect(t).toBeInstanceOf(ByteLevelBpeTokenizer);
    for (const g of goldens) {
      const enc = t.encode(g.text, g.text_pair, g.max_length === undefined ? {} : { maxLength: g.max_length });
      expect([g.text, enc.inputIds]).toEqual([g.text, g.input_ids]);
    }
    expect(t.tokenize('Hello <mask> world')).toEqual(['Hello', '<mask>', 'Ġworld']);
    expect([t.padId, t.maskId, t.vocabSize]).toEqual([1, 50264, 50265]);
  });

  it('takes add_prefix_space from the pre-tokenizer, and tokenizer_config.json over it', async () => {
    const json = robertaTokenizerJson(false, tinyVocab(), TINY_MERGES);
    expect((await loadTokenizer(source({ 'tokenizer.json': JSON.stringify(json) }))).tokenize('the')).toEqual(['t', 'he']);
    json.pre_tokenizer.add_prefix_space = true;
    const prefixed = await loadTokenizer(source({ 'tokenizer.json': JSON.stringify(json) }));
    expect(prefixed.tokenize('the')).toEqual(['Ġthe']);
    const overridden = await loadTokenizer(source({ 'tokenizer.json': JSON.stringify(json), 'tokenizer_config.json': CONFIG }));
    expect(overridden.tokenize('the')).toEqual(['t', 'he']);
  });

  it('accepts a TemplateProcessing in RoBERTa\'s layout', () => {
    const json = robertaTokenizerJson(false, tinyVocab(), TINY_MERGES);
    const sp = (id: string) => ({ SpecialToken: { id, type_id: 0 } });
    const seq = (id: string) => ({ Sequence: { id, type_id: 0 } });
    json.post_processor = {
      type: 'TemplateProcessing',
      single: [sp('<s>'), seq('A'), sp('</s>')],
      pair: [sp('<s>'), seq('A'), sp('</s>'), sp('</s>'), seq('B'), sp('</s>')],
      special_tokens: {},
    };
    const t = ByteLevelBpeTokenizer.fromTokenizerJson(json);
    const the = t.tokenToId('Ġthe')!;
    expect(t.encode(' the', ' the').inputIds).toEqual([0, the, 2, 2, the, 2]);
  });

  it('still loads WordPiece from tokenizer.json and vocab.txt, and prefers tokenizer.json', async () => {
    expect(await loadTokenizer(source({ 'vocab.txt': TINY_VOCAB_TEXT, 'vocab.json': VOCAB, 'merges.txt': MERGES }))).toBeInstanceOf(BertTokenizer);
    const json = JSON.stringify(robertaTokenizerJson(false, tinyVocab(), TINY_MERGES));
    expect(await loadTokenizer(source({ 'tokenizer.json': json, 'vocab.txt': TINY_VOCAB_TEXT }))).toBeInstanceOf(ByteLevelBpeTokenizer);
  });
});

describe('errors for bad files', () => {
  it('names a tokenizer.json whose model type is neither WordPiece nor BPE', async () => {
    const err = await asyncErrorOf(loadTokenizer(source({ 'tokenizer.json': JSON.stringify({ model: { type: 'Unigram' } }) })));
    expect(err.message).toBe(
      '/models/roberta/tokenizer.json: model.type: model type "Unigram" is not supported (expected "WordPiece" or "BPE") ' +
        "(only WordPiece (BERT) and byte-level BPE (RoBERTa) tokenizers load; remove tokenizer.json to use the folder's vocab.txt or vocab.json + merges.txt)",
    );
    expect((await asyncErrorOf(loadTokenizer(source({ 'tokenizer.json': '{"version": "1.0"}' })))).message).toMatch(/model\.type: model type missing/);
    expect((await asyncErrorOf(loadTokenizer(source({ 'tokenizer.json': '{' })))).message).toMatch(/^\/models\/roberta\/tokenizer\.json: is not valid JSON/);
  });

  it('asks for merges.txt when only vocab.json is there, and lists every option when nothing is', async () => {
    expect((await asyncErrorOf(loadTokenizer(source({ 'vocab.json': VOCAB })))).message).toMatch(
      /^\/models\/roberta\/merges\.txt: vocab\.json needs a merges\.txt beside it/,
    );
    expect((await asyncErrorOf(loadTokenizer(source({})))).message).toMatch(/or vocab\.json \+ merges\.txt \(byte-level BPE\)/);
  });

  it('names the merges.txt line that is not two tokens', () => {
    const lines = TINY_MERGES.split('\n');
    for (const bad of ['Ġ t h', 'Ġt', '', ' Ġt']) {
      const broken = [...lines.slice(0, 3), bad, ...lines.slice(3)].join('\n');
      const err = errorOf(() => ByteLevelBpeTokenizer.fromVocabAndMerges(tinyVocab(), broken, undefined, { merges: 'm/merges.txt' }));
      expect([err.file, err.field]).toEqual(['m/merges.txt', 'line 4']);
      expect(err.message).toContain(`expected two tokens separated by one space, got ${JSON.stringify(bad)}`);
    }
  });

  it('names a merge whose part or result is not in vocab.json', () => {
    const err = errorOf(() =>
      ByteLevelBpeTokenizer.fromVocabAndMerges(tinyVocab(), `${TINY_MERGES}qqzz Ġt\n`, undefined, { merges: 'm/merges.txt', vocab: 'm/vocab.json' }),
    );
    expect(err.field).toBe('line 5');
    expect(err.message).toMatch(/^m\/merges\.txt: line 5: merge "qqzz Ġt" uses "qqzz", which is not in the vocabulary m\/vocab\.json/);
    const vocab = tinyVocab();
    delete vocab['Ġthe'];
    expect(errorOf(() => ByteLevelBpeTokenizer.fromVocabAndMerges(vocab, TINY_MERGES)).message).toMatch(/line 4: merge "Ġt he" uses "Ġthe", which is not in the vocabulary/);
    // The tiny vocabulary itself is fine: it really tokenizes.
    expect(ByteLevelBpeTokenizer.fromVocabAndMerges(tinyVocab(), TINY_MERGES).tokenize(' the')).toEqual(['Ġthe']);
  });

  it('names bad vocab.json content and missing special tokens', () => {
    expect(errorOf(() => ByteLevelBpeTokenizer.fromVocabAndMerges('[1]', MERGES, undefined, { vocab: 'm/vocab.json' })).message).toMatch(
      /^m\/vocab\.json: must be a JSON object/,
    );
    expect(errorOf(() => ByteLevelBpeTokenizer.fromVocabAndMerges('{"a": "x"}', '#version: 0.2\n')).message).toMatch(/token "a" has id "x"/);
    const vocab = tinyVocab();
    delete vocab['<pad>'];
    const err = errorOf(() => ByteLevelBpeTokenizer.fromVocabAndMerges(vocab, TINY_MERGES));
    expect([err.field, err.message]).toEqual(['pad_token', expect.stringMatching(/the vocabulary has no "<pad>" token/)]);
    expect(errorOf(() => ByteLevelBpeTokenizer.fromVocabAndMerges(tinyVocab(), TINY_MERGES, '{"add_prefix_space": "yes"}')).field).toBe('add_prefix_space');
  });

  it('rejects tokenizer.json shapes it cannot reproduce, naming file and field', () => {
    const cases: [string, (j: Record<string, any>) => void, RegExp][] = [
      ['model.type', (j) => (j.model.type = 'WordPiece'), /model type "WordPiece" is not supported \(expected "BPE"\)/],
      ['model.dropout', (j) => (j.model.dropout = 0.1), /dropout 0.1/],
      ['model.continuing_subword_prefix', (j) => (j.model.continuing_subword_prefix = '##'), /continuing_subword_prefix/],
      ['model.byte_fallback', (j) => (j.model.byte_fallback = true), /byte_fallback: true/],
      ['model.merges[1]', (j) => (j.model.merges[1] = 'a b c'), /must be "left right" or \["left", "right"\]/],
      ['model.merges', (j) => (j.model.merges = {}), /must be a list of merges/],
      ['normalizer', (j) => (j.normalizer = { type: 'NFC' }), /normalizer "NFC" is not supported/],
      ['pre_tokenizer.type', (j) => (j.pre_tokenizer = { type: 'Whitespace' }), /pre-tokenizer "Whitespace"/],
      ['pre_tokenizer.use_regex', (j) => (j.pre_tokenizer.use_regex = false), /use_regex: false/],
      ['post_processor.type', (j) => (j.post_processor = { type: 'ByteLevel' }), /post-processor "ByteLevel" is not supported/],
      ['post_processor.type', (j) => delete j.post_processor, /post-processor missing/],
      ['post_processor', (j) => (j.post_processor = { type: 'TemplateProcessing', single: [], pair: [] }), /template is not RoBERTa's/],
      ['decoder.type', (j) => (j.decoder = { type: 'WordPiece' }), /decoder "WordPiece"/],
      ['added_tokens[5].single_word', (j) => j.added_tokens.push({ id: 7, content: 'x', single_word: true }), /single_word/],
    ];
    expect(() => ByteLevelBpeTokenizer.fromTokenizerJson(robertaTokenizerJson(false, tinyVocab(), TINY_MERGES))).not.toThrow();
    for (const [field, mutate, message] of cases) {
      const json = robertaTokenizerJson(false, tinyVocab(), TINY_MERGES);
      mutate(json);
      const err = errorOf(() => ByteLevelBpeTokenizer.fromTokenizerJson(json, 'm/tokenizer.json'));
      expect([field, err.field, err.file]).toEqual([field, field, 'm/tokenizer.json']);
      expect(err.message).toMatch(message);
    }
  });
});
