/**
 * Reads a Hugging Face `tokenizer.json` (the `tokenizers` library's file, used by
 * `BertTokenizerFast`) into a vocabulary and `BertTokenizerOptions`.
 *
 * Only the BERT shape is accepted: a WordPiece model, a BertNormalizer, the BertPreTokenizer and
 * a `[CLS] $A [SEP] ($B [SEP])` post-processor. Anything else would tokenize differently from
 * what this class implements, so it is an error naming the field rather than a silent mismatch.
 */
import { inputError } from '../errors.js';
import type { BertTokenizerOptions } from './types.js';
import { describeComponent as typeOf, isObject, openTokenizerJson, processingTokens, readAddedTokens, readPreTokenizer, type Unsupported } from './tokenizer-json-parts.js';
import { vocabFromObject, type Vocab } from './vocab.js';

/** What to do instead when the file holds another kind of tokenizer. */
const UNSUPPORTED_FIX =
  "only BERT WordPiece tokenizers are supported; use the model's vocab.txt + tokenizer_config.json instead, or a BERT tokenizer.json";

export interface ParsedTokenizerJson {
  vocab: Vocab;
  options: BertTokenizerOptions;
}

export function parseTokenizerJson(json: string | object, file = 'tokenizer.json'): ParsedTokenizerJson {
  const { root, unsupported } = openTokenizerJson(json, file, UNSUPPORTED_FIX);

  // --- model: the WordPiece vocabulary and its settings.
  const model = root.model;
  if (!isObject(model) || model.type !== 'WordPiece') {
    throw unsupported('model.type', `model type ${typeOf(model)} is not supported (expected "WordPiece")`);
  }
  const vocab = vocabFromObject(model.vocab, file, 'model.vocab');
  const str = (v: unknown, field: string, fallback: string): string => {
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string') throw inputError(`must be a string, got ${JSON.stringify(v)}`, { file, field });
    return v;
  };
  const options: BertTokenizerOptions = {
    unkToken: str(model.unk_token, 'model.unk_token', '[UNK]'),
    continuingSubwordPrefix: str(model.continuing_subword_prefix, 'model.continuing_subword_prefix', '##'),
  };
  const maxChars = model.max_input_chars_per_word;
  if (maxChars !== undefined && maxChars !== null) {
    if (typeof maxChars !== 'number' || !Number.isInteger(maxChars) || maxChars < 0) {
      throw inputError(`must be a non-negative integer, got ${JSON.stringify(maxChars)}`, {
        file,
        field: 'model.max_input_chars_per_word',
      });
    }
    options.maxInputCharsPerWord = maxChars;
  }

  // --- normalizer: a BertNormalizer, alone or as the only member of a Sequence.
  let normalizer = root.normalizer;
  let normalizerField = 'normalizer';
  if (isObject(normalizer) && normalizer.type === 'Sequence') {
    const list = normalizer.normalizers;
    if (!Array.isArray(list) || list.length !== 1) {
      throw unsupported('normalizer.normalizers', 'a Sequence normalizer must hold exactly one BertNormalizer');
    }
    normalizer = list[0];
    normalizerField = 'normalizer.normalizers[0]';
  }
  if (!isObject(normalizer) || normalizer.type !== 'BertNormalizer') {
    throw unsupported(`${normalizerField}.type`, `normalizer ${typeOf(normalizer)} is not supported (expected "BertNormalizer")`);
  }
  const flag = (name: string, fallback: boolean): boolean => {
    const v = normalizer[name];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') {
      throw inputError(`must be true or false, got ${JSON.stringify(v)}`, { file, field: `${normalizerField}.${name}` });
    }
    return v;
  };
  options.cleanText = flag('clean_text', true);
  options.tokenizeChineseChars = flag('handle_chinese_chars', true);
  options.doLowerCase = flag('lowercase', true);
  const strip = normalizer.strip_accents;
  if (strip !== undefined && strip !== null && typeof strip !== 'boolean') {
    throw inputError(`must be true, false or null, got ${JSON.stringify(strip)}`, { file, field: `${normalizerField}.strip_accents` });
  }
  options.stripAccents = strip ?? null;

  // --- pre_tokenizer: BERT's whitespace + punctuation split.
  readPreTokenizer(root, 'BertPreTokenizer', unsupported);

  // --- post_processor: where [CLS] and [SEP] go.
  const { cls, sep } = readPostProcessor(root.post_processor, unsupported);
  options.clsToken = cls;
  options.sepToken = sep;

  // --- padding: only its token matters (padding itself is chosen per call).
  if (isObject(root.padding) && root.padding.pad_token !== undefined) {
    options.padToken = str(root.padding.pad_token, 'padding.pad_token', '[PAD]');
  }

  // --- added_tokens: matched verbatim in text, never split.
  const added = readAddedTokens(root.added_tokens, file, unsupported, false);
  if (added !== undefined) options.addedTokens = added;

  // --- decoder: whether decoding re-attaches punctuation.
  if (isObject(root.decoder) && root.decoder.type === 'WordPiece' && typeof root.decoder.cleanup === 'boolean') {
    options.cleanUpTokenizationSpaces = root.decoder.cleanup;
  }
  return { vocab, options };
}

/** Extracts the [CLS] and [SEP] strings from a BertProcessing or a BERT-shaped TemplateProcessing. */
function readPostProcessor(post: unknown, unsupported: Unsupported): { cls: string; sep: string } {
  if (isObject(post) && post.type === 'BertProcessing') return processingTokens(post, unsupported);
  if (isObject(post) && post.type === 'TemplateProcessing') {
    // single: [CLS]:0 $A:0 [SEP]:0   pair: [CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1
    const special = (piece: unknown, typeId: number): string | undefined => {
      const s = isObject(piece) ? piece.SpecialToken : undefined;
      return isObject(s) && typeof s.id === 'string' && (s.type_id ?? 0) === typeId ? s.id : undefined;
    };
    const sequence = (piece: unknown, id: string, typeId: number): boolean => {
      const s = isObject(piece) ? piece.Sequence : undefined;
      return isObject(s) && s.id === id && (s.type_id ?? 0) === typeId;
    };
    const single = post.single;
    const pair = post.pair;
    const cls = Array.isArray(single) ? special(single[0], 0) : undefined;
    const sep = Array.isArray(single) ? special(single[2], 0) : undefined;
    const singleOk = Array.isArray(single) && single.length === 3 && cls !== undefined && sep !== undefined && sequence(single[1], 'A', 0);
    const pairOk =
      Array.isArray(pair) &&
      pair.length === 5 &&
      special(pair[0], 0) === cls &&
      sequence(pair[1], 'A', 0) &&
      special(pair[2], 0) === sep &&
      sequence(pair[3], 'B', 1) &&
      special(pair[4], 1) === sep;
    if (!singleOk || !pairOk) {
      throw unsupported(
        'post_processor',
        'the template is not BERT\'s ("[CLS] $A [SEP]" and "[CLS] $A [SEP] $B:1 [SEP]:1")',
      );
    }
    return { cls: cls!, sep: sep! };
  }
  const type = isObject(post)
    ? typeof post.type === 'string' ? JSON.stringify(post.type) : 'without a "type"'
    : post === undefined ? 'missing' : String(JSON.stringify(post));
  throw unsupported('post_processor.type', `post-processor ${type} is not supported (expected "TemplateProcessing" or "BertProcessing")`);
}
