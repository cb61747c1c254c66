/**
 * Reads a Hugging Face `tokenizer.json` of a byte-level BPE tokenizer (what `RobertaTokenizerFast`
 * saves) into a vocabulary, merges and `ByteLevelBpeOptions`.
 *
 * Only RoBERTa's shape is accepted: a BPE model without dropout or subword affixes, no
 * normalizer, the ByteLevel pre-tokenizer (GPT-2's regex) and a `<s> $A </s>` /
 * `<s> $A </s></s> $B </s>` post-processor. Anything else would tokenize differently from what
 * this class implements, so it is an error naming the field rather than a silent mismatch.
 */
import { inputError } from '../../errors.js';
import { describeComponent as typeOf, isObject, openTokenizerJson, processingTokens, readAddedTokens, readPreTokenizer, type Unsupported } from '../tokenizer-json-parts.js';
import { vocabFromObject, type Vocab } from '../vocab.js';
import type { ByteLevelBpeOptions } from './bpe-options.js';
import { mergesFromJson, type BpeMerge } from './merges.js';

/** What to do instead when the file holds another kind of tokenizer. */
const UNSUPPORTED_FIX =
  "only RoBERTa-style byte-level BPE tokenizers are supported; use the model's vocab.json + merges.txt + tokenizer_config.json instead";

export interface ParsedBpeTokenizerJson {
  vocab: Vocab;
  merges: BpeMerge[];
  options: ByteLevelBpeOptions;
}

export function parseBpeTokenizerJson(json: string | object, file = 'tokenizer.json'): ParsedBpeTokenizerJson {
  const { root, unsupported } = openTokenizerJson(json, file, UNSUPPORTED_FIX);
  const str = (v: unknown, field: string): string | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw inputError(`must be a string, got ${JSON.stringify(v)}`, { file, field });
    return v;
  };

  // --- model: vocabulary, merges, and the BPE settings this class does not implement.
  const model = root.model;
  if (!isObject(model) || model.type !== 'BPE') {
    throw unsupported('model.type', `model type ${typeOf(model)} is not supported (expected "BPE")`);
  }
  const vocab = vocabFromObject(model.vocab, file, 'model.vocab');
  const merges = mergesFromJson(model.merges, file, 'model.merges');
  if (model.dropout !== undefined && model.dropout !== null && model.dropout !== 0) {
    throw unsupported('model.dropout', `BPE dropout ${JSON.stringify(model.dropout)} is not supported (expected null)`);
  }
  for (const affix of ['continuing_subword_prefix', 'end_of_word_suffix']) {
    if (str(model[affix], `model.${affix}`)) throw unsupported(`model.${affix}`, `a ${affix} is not supported by byte-level BPE (expected null or "")`);
  }
  for (const flag of ['byte_fallback', 'ignore_merges']) {
    if (model[flag] === true) throw unsupported(`model.${flag}`, `${flag}: true is not supported (expected false)`);
  }
  const options: ByteLevelBpeOptions = {};
  const unk = str(model.unk_token, 'model.unk_token');
  if (unk !== undefined) options.unkToken = unk;

  // --- normalizer: RoBERTa has none.
  if (root.normalizer !== undefined && root.normalizer !== null) {
    throw unsupported('normalizer', `normalizer ${typeOf(root.normalizer)} is not supported (expected null)`);
  }

  // --- pre_tokenizer: ByteLevel with GPT-2's regex, alone or as the only member of a Sequence.
  const { pre, field: preField } = readPreTokenizer(root, 'ByteLevel', unsupported);
  if (pre.use_regex === false) throw unsupported(`${preField}.use_regex`, 'use_regex: false is not supported (expected true)');
  if (pre.add_prefix_space !== undefined && pre.add_prefix_space !== null) {
    if (typeof pre.add_prefix_space !== 'boolean') {
      throw inputError(`must be true or false, got ${JSON.stringify(pre.add_prefix_space)}`, { file, field: `${preField}.add_prefix_space` });
    }
    options.addPrefixSpace = pre.add_prefix_space;
  }

  // --- post_processor: where <s> and </s> go.
  const { cls, sep } = readPostProcessor(root.post_processor, unsupported);
  options.clsToken = cls;
  options.sepToken = sep;

  // --- padding: only its token matters (padding itself is chosen per call).
  if (isObject(root.padding)) {
    const pad = str(root.padding.pad_token, 'padding.pad_token');
    if (pad !== undefined) options.padToken = pad;
  }

  // --- added_tokens: matched verbatim in text, never split, with their lstrip/rstrip.
  const added = readAddedTokens(root.added_tokens, file, unsupported, true);
  if (added !== undefined) options.addedTokens = added;

  // --- decoder: byte-level (or none); anything else would decode differently.
  if (root.decoder !== undefined && root.decoder !== null && !(isObject(root.decoder) && root.decoder.type === 'ByteLevel')) {
    throw unsupported('decoder.type', `decoder ${typeOf(root.decoder)} is not supported (expected "ByteLevel")`);
  }
  return { vocab, merges, options };
}

/** The <s> and </s> strings of a RobertaProcessing, or of a TemplateProcessing in RoBERTa's layout. */
function readPostProcessor(post: unknown, unsupported: Unsupported): { cls: string; sep: string } {
  // {"sep": ["</s>", 2], "cls": ["<s>", 0], ...}
  if (isObject(post) && post.type === 'RobertaProcessing') return processingTokens(post, unsupported);
  if (isObject(post) && post.type === 'TemplateProcessing') {
    // single: <s> $A </s>   pair: <s> $A </s> </s> $B </s>. Type ids are not read: RoBERTa
    // inputs have none (all 0).
    const special = (piece: unknown): string | undefined => {
      const s = isObject(piece) ? piece.SpecialToken : undefined;
      return isObject(s) && typeof s.id === 'string' ? s.id : undefined;
    };
    const sequence = (piece: unknown, id: string): boolean => {
      const s = isObject(piece) ? piece.Sequence : undefined;
      return isObject(s) && s.id === id;
    };
    const { single, pair } = post;
    const cls = Array.isArray(single) ? special(single[0]) : undefined;
    const sep = Array.isArray(single) ? special(single[2]) : undefined;
    const singleOk = Array.isArray(single) && single.length === 3 && cls !== undefined && sep !== undefined && sequence(single[1], 'A');
    const pairOk =
      Array.isArray(pair) &&
      pair.length === 6 &&
      special(pair[0]) === cls &&
      sequence(pair[1], 'A') &&
      special(pair[2]) === sep &&
      special(pair[3]) === sep &&
      sequence(pair[4], 'B') &&
      special(pair[5]) === sep;
    if (!singleOk || !pairOk) {
      throw unsupported('post_processor', 'the template is not RoBERTa\'s ("<s> $A </s>" and "<s> $A </s> </s> $B </s>")');
    }
    return { cls: cls!, sep: sep! };
  }
  throw unsupported('post_processor.type', `post-processor ${typeOf(post)} is not supported (expected "RobertaProcessing" or "TemplateProcessing")`);
}
