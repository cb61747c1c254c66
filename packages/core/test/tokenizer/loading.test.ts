// Loading: vocab.txt (+ tokenizer_config.json), tokenizer.json, loadTokenizer over a
// ModelSource, and the errors for files we cannot use.
import { MaxPoolBertError } from '../../src/errors.js';
import { MemoryModelSource } from '../../src/io/model-source.js';
import { BertTokenizer, loadTokenizer, parseVocabText } from '../../src/tokenizer/index.js';
import { BERT_UNCASED_VOCAB, readGoldens } from './fixtures.js';
import { TINY_TOKENS, TINY_VOCAB_TEXT } from './tiny-vocab.js';

/** The error a function throws (failing the test when it throws none). */
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

/** A BERT-shaped tokenizer.json for a list of vocabulary lines, as `tokenizers` writes it. */
function makeTokenizerJson(tokens: readonly string[], normalizer: Record<string, unknown> = {}): Record<string, any> {
  const vocab: Record<string, number> = {};
  tokens.forEach((t, i) => (vocab[t] = i));
  const special = (content: string) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true, ...normalizer },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

function source(files: Record<string, string>, location = '/models/demo'): MemoryModelSource {
  const encoder = new TextEncoder();
  return new MemoryModelSource(new Map(Object.entries(files).map(([name, text]) => [name, encoder.encode(text)])), location);
}

describe('vocab.txt', () => {
  it('gives each line its index as id, keeping the line as is', () => {
    const v = parseVocabText('[PAD]\n a \n\n##b\n');
    expect([...v.tokenToId]).toEqual([['[PAD]', 0], [' a ', 1], ['', 2], ['##b', 3]]);
    expect(v.size).toBe(4);
  });

  it('accepts CRLF line ends (and no final line end)', () => {
    const crlf = parseVocabText(TINY_TOKENS.join('\r\n'));
    expect([...crlf.tokenToId]).toEqual([...parseVocabText(TINY_VOCAB_TEXT).tokenToId]);
  });

  it('rejects an empty file, naming it and the fix', () => {
    for (const text of ['', '\n'.slice(1)]) {
      const err = errorOf(() => BertTokenizer.fromVocabText(text, undefined, 'models/x/vocab.txt'));
      expect(err.message).toMatch(/^models\/x\/vocab\.txt: the vocabulary is empty \(use the vocab\.txt/);
      expect(err.file).toBe('models/x/vocab.txt');
    }
  });

  it('rejects a vocabulary without [UNK], [CLS], [SEP] or [PAD]', () => {
    for (const missing of ['[UNK]', '[CLS]', '[SEP]', '[PAD]']) {
      const text = TINY_TOKENS.filter((t) => t !== missing).join('\n');
      const err = errorOf(() => BertTokenizer.fromVocabText(text, undefined, 'my/vocab.txt'));
      expect(err.message).toContain(`my/vocab.txt`);
      expect(err.message).toContain(`has no "${missing}" token`);
      expect(err.message).toContain('tokenizer_config.json');
    }
    // [MASK] is optional.
    const noMask = BertTokenizer.fromVocabText(TINY_TOKENS.filter((t) => t !== '[MASK]').join('\n'));
    expect(noMask.maskId).toBeUndefined();
  });
});

describe('tokenizer_config.json', () => {
  it('applies casing, accents, chinese chars, limits and special token names', () => {
    const vocab = TINY_VOCAB_TEXT.replace('[UNK]', '<unk>') + 'Cat\n東京\n';
    const t = BertTokenizer.fromVocabText(vocab, {
      do_lower_case: false,
      tokenize_chinese_chars: false,
      model_max_length: 512,
      unk_token: { content: '<unk>', __type: 'AddedToken' },
    });
    expect(t.tokenize('Cat cat dog 東京 Dog')).toEqual(['Cat', 'cat', 'dog', '東京', '<unk>']);
    expect(t.modelMaxLength).toBe(512);
    expect(t.unkId).toBe(1);
    expect(BertTokenizer.fromVocabText(TINY_VOCAB_TEXT, { model_max_length: 1e30 }).modelMaxLength).toBeUndefined();
  });

  it('reads strip_accents with HF semantics', () => {
    const vocab = TINY_VOCAB_TEXT + 'café\ncafe\n';
    expect(BertTokenizer.fromVocabText(vocab, { strip_accents: false }).tokenize('Café')).toEqual(['café']);
    expect(BertTokenizer.fromVocabText(vocab, { strip_accents: null }).tokenize('Café')).toEqual(['cafe']);
  });

  it('reads a current Hugging Face bert-base-uncased tokenizer_config.json', () => {
    const special = (content: string) => ({ content, lstrip: false, normalized: false, rstrip: false, single_word: false, special: true });
    const config = {
      added_tokens_decoder: { '0': special('[PAD]'), '100': special('[UNK]'), '101': special('[CLS]'), '102': special('[SEP]'), '103': special('[MASK]') },
      clean_up_tokenization_spaces: true,
      cls_token: '[CLS]',
      do_lower_case: true,
      mask_token: '[MASK]',
      model_max_length: 512,
      pad_token: '[PAD]',
      sep_token: '[SEP]',
      strip_accents: null,
      tokenize_chinese_chars: true,
      tokenizer_class: 'BertTokenizer',
      unk_token: '[UNK]',
    };
    const t = BertTokenizer.fromVocabText(BERT_UNCASED_VOCAB(), JSON.stringify(config));
    expect(t.modelMaxLength).toBe(512);
    expect(t.vocabSize).toBe(30522);
    for (const g of readGoldens().slice(0, 40)) {
      expect(t.encode(g.text, g.text_pair, g.max_length ? { maxLength: g.max_length } : {}).inputIds).toEqual(g.input_ids);
    }
  });

  it('accepts the config as JSON text, and added_tokens_decoder entries', () => {
    const t = BertTokenizer.fromVocabText(
      TINY_VOCAB_TEXT,
      JSON.stringify({ added_tokens_decoder: { '29': { content: '<new>', special: false } } }),
    );
    expect(t.tokenize('cat<new>dog')).toEqual(['cat', '<new>', 'dog']);
    expect(t.encode('cat<new>dog').inputIds).toEqual([2, 6, 29, 20, 3]);
    expect(t.vocabSize).toBe(30);
    expect(t.decode([6, 29], { skipSpecialTokens: true })).toBe('cat <new>');
  });

  it('names the file and field of a bad value', () => {
    const err = errorOf(() => BertTokenizer.fromVocabText(TINY_VOCAB_TEXT, { do_lower_case: 'yes' }, 'vocab.txt', 'm/tokenizer_config.json'));
    expect(err.message).toBe('m/tokenizer_config.json: do_lower_case: must be true or false, got "yes"');
    expect(errorOf(() => BertTokenizer.fromVocabText(TINY_VOCAB_TEXT, { model_max_length: -1 })).field).toBe('model_max_length');
    expect(errorOf(() => BertTokenizer.fromVocabText(TINY_VOCAB_TEXT, { never_split: 'x' })).field).toBe('never_split');
    expect(errorOf(() => BertTokenizer.fromVocabText(TINY_VOCAB_TEXT, { unk_token: 5 })).field).toBe('unk_token');
    expect(errorOf(() => BertTokenizer.fromVocabText(TINY_VOCAB_TEXT, '{oops')).message).toMatch(/tokenizer_config\.json: is not valid JSON/);
    expect(errorOf(() => BertTokenizer.fromVocabText(TINY_VOCAB_TEXT, '[1]')).message).toMatch(/must be a JSON object/);
  });
});

describe('tokenizer.json', () => {
  const bertVocabLines = BERT_UNCASED_VOCAB().split('\n').slice(0, -1);
  const fromVocab = BertTokenizer.fromVocabText(BERT_UNCASED_VOCAB());
  const fromJson = BertTokenizer.fromTokenizerJson(makeTokenizerJson(bertVocabLines));

  it('tokenizes every golden text exactly like the vocab.txt path', () => {
    for (const g of readGoldens()) {
      expect(fromJson.tokenize(g.text)).toEqual(fromVocab.tokenize(g.text));
      const opts = g.max_length === undefined ? {} : { maxLength: g.max_length };
      expect(fromJson.encode(g.text, g.text_pair, opts)).toEqual(fromVocab.encode(g.text, g.text_pair, opts));
      expect(fromJson.encode(g.text, g.text_pair, opts).inputIds).toEqual(g.input_ids);
    }
    expect(fromJson.vocabSize).toBe(30522);
    expect([fromJson.clsId, fromJson.sepId, fromJson.padId, fromJson.unkId, fromJson.maskId]).toEqual([101, 102, 0, 100, 103]);
  });

  it('accepts JSON text, a Sequence normalizer and BertProcessing', () => {
    const json = makeTokenizerJson(TINY_TOKENS);
    json.normalizer = { type: 'Sequence', normalizers: [json.normalizer] };
    json.post_processor = { type: 'BertProcessing', sep: ['[SEP]', 3], cls: ['[CLS]', 2] };
    const t = BertTokenizer.fromTokenizerJson(JSON.stringify(json));
    expect(t.encode('The cat', 'hello').inputIds).toEqual([2, 5, 6, 3, 18, 3]);
  });

  it('follows the normalizer flags, and a tokenizer_config.json overrides them', () => {
    const cased = makeTokenizerJson([...TINY_TOKENS, 'Cat'], { lowercase: false });
    expect(BertTokenizer.fromTokenizerJson(cased).tokenize('Cat cat')).toEqual(['Cat', 'cat']);
    const overridden = BertTokenizer.fromTokenizerJson(cased, 'tokenizer.json', { do_lower_case: true, model_max_length: 64 });
    expect(overridden.tokenize('Cat cat')).toEqual(['cat', 'cat']);
    expect(overridden.modelMaxLength).toBe(64);
  });

  it('handles added tokens past the vocabulary', () => {
    const json = makeTokenizerJson(TINY_TOKENS);
    json.added_tokens.push({ id: 40, content: '<ent>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
    const t = BertTokenizer.fromTokenizerJson(json);
    expect(t.encode('cat<ent>').inputIds).toEqual([2, 6, 40, 3]);
    expect(t.vocabSize).toBe(41);
    expect(t.convertIdsToTokens([40])).toEqual(['<ent>']);
    expect(t.decode([2, 6, 40, 3], { skipSpecialTokens: true })).toBe('cat');
  });

  it('rejects shapes it cannot reproduce, naming file and field', () => {
    const cases: [string, (j: Record<string, any>) => void, RegExp][] = [
      ['model.type', (j) => (j.model.type = 'BPE'), /model type "BPE" is not supported/],
      ['normalizer.type', (j) => (j.normalizer = { type: 'NFKC' }), /normalizer "NFKC" is not supported/],
      ['normalizer.type', (j) => (j.normalizer = null), /normalizer null is not supported/],
      ['normalizer.normalizers', (j) => (j.normalizer = { type: 'Sequence', normalizers: [j.normalizer, { type: 'NFC' }] }), /exactly one BertNormalizer/],
      ['pre_tokenizer.type', (j) => (j.pre_tokenizer = { type: 'Whitespace' }), /pre-tokenizer "Whitespace"/],
      ['post_processor.type', (j) => (j.post_processor = { type: 'RobertaProcessing' }), /post-processor "RobertaProcessing"/],
      ['post_processor', (j) => (j.post_processor.pair[3].Sequence.type_id = 0), /template is not BERT's/],
      ['added_tokens[5].single_word', (j) => j.added_tokens.push({ id: 40, content: 'x', single_word: true }), /single_word/],
      ['model.vocab', (j) => (j.model.vocab.cat = 'six'), /token "cat" has id "six"/],
      ['model.vocab', (j) => (j.model.vocab.cat = 2 ** 30), /ids must be integers/],
      ['normalizer.lowercase', (j) => (j.normalizer.lowercase = 'yes'), /must be true or false/],
    ];
    for (const [field, mutate, message] of cases) {
      const json = makeTokenizerJson(TINY_TOKENS);
      mutate(json);
      const err = errorOf(() => BertTokenizer.fromTokenizerJson(json, 'm/tokenizer.json'));
      expect(err.field).toBe(field);
      expect(err.file).toBe('m/tokenizer.json');
      expect(err.message).toMatch(message);
    }
    expect(errorOf(() => BertTokenizer.fromTokenizerJson('not json', 'm/tokenizer.json')).message).toMatch(
      /^m\/tokenizer\.json: is not valid JSON/,
    );
  });
});

describe('loadTokenizer', () => {
  const tinyJson = JSON.stringify(makeTokenizerJson(TINY_TOKENS));

  it('prefers tokenizer.json over vocab.txt', async () => {
    const t = await loadTokenizer(source({ 'tokenizer.json': tinyJson, 'vocab.txt': BERT_UNCASED_VOCAB() }));
    expect(t.vocabSize).toBe(TINY_TOKENS.length);
  });

  it('applies tokenizer_config.json next to tokenizer.json', async () => {
    const t = await loadTokenizer(source({ 'tokenizer.json': tinyJson, 'tokenizer_config.json': '{"model_max_length": 32}' }));
    expect(t.modelMaxLength).toBe(32);
  });

  it('falls back to vocab.txt + tokenizer_config.json', async () => {
    const t = await loadTokenizer(
      source({ 'vocab.txt': TINY_VOCAB_TEXT, 'tokenizer_config.json': '{"do_lower_case": false, "model_max_length": 16}' }),
    );
    expect(t).toBeInstanceOf(BertTokenizer);
    expect((t as BertTokenizer).doLowerCase).toBe(false);
    expect(t.modelMaxLength).toBe(16);
    expect((await loadTokenizer(source({ 'vocab.txt': TINY_VOCAB_TEXT }))).encode('The cat').inputIds).toEqual([2, 5, 6, 3]);
  });

  it('names the folder and the expected files when there are none', async () => {
    const err = await asyncErrorOf(loadTokenizer(source({ 'config.json': '{}' }, '/models/empty')));
    expect(err.message).toMatch(/^\/models\/empty: no tokenizer files found \(the folder needs tokenizer\.json, or vocab\.txt/);
  });

  it('names the file in errors about its content', async () => {
    const err = await asyncErrorOf(loadTokenizer(source({ 'vocab.txt': '' }, '/models/bad')));
    expect(err.message).toMatch(/^\/models\/bad\/vocab\.txt: the vocabulary is empty/);
    const err2 = await asyncErrorOf(loadTokenizer(source({ 'vocab.txt': TINY_VOCAB_TEXT, 'tokenizer_config.json': '{' }, '/models/bad')));
    expect(err2.message).toMatch(/^\/models\/bad\/tokenizer_config\.json: is not valid JSON/);
  });
});
