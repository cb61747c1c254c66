/**
 * Reads a Hugging Face `tokenizer_config.json` into `BertTokenizerOptions`. Only the fields that
 * change how a BERT tokenizer behaves are read; bookkeeping fields (tokenizer_class,
 * name_or_path, ...) are ignored. A field of the wrong type is an error naming it, because a
 * silently ignored `do_lower_case` would give a model inputs it was never trained on.
 */
import { inputError } from '../errors.js';
import type { AddedToken, BertTokenizerOptions } from './types.js';

/** A config as JSON text or as an already-parsed object. */
export type TokenizerConfigInput = string | object;

/**
 * HF stores "no limit" as int(1e30) (VERY_LARGE_INTEGER); anything this large is not a real
 * model limit, so it is treated as absent.
 */
const NO_LIMIT = 1e18;

/** Parses JSON text (or passes an object through), requiring a JSON object. */
export function parseJsonObject(input: string | object, file: string): Record<string, unknown> {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (err) {
      throw inputError(`is not valid JSON (${(err as Error).message})`, {
        file,
        fix: 'use the file as Hugging Face saved it',
      });
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw inputError('must be a JSON object', { file, fix: 'use the file as Hugging Face saved it' });
  }
  return value as Record<string, unknown>;
}

/**
 * A token written either as a string or as a serialized AddedToken ({"content": "[UNK]", ...}),
 * both of which HF writes into tokenizer_config.json.
 */
export function tokenContent(value: unknown, file: string, field: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { content?: unknown }).content === 'string') {
    return (value as { content: string }).content;
  }
  throw inputError(`must be a token string or an object with a "content" string, got ${JSON.stringify(value)}`, {
    file,
    field,
  });
}

export function parseTokenizerConfig(config: TokenizerConfigInput, file = 'tokenizer_config.json'): BertTokenizerOptions {
  const raw = parseJsonObject(config, file);
  const options: BertTokenizerOptions = {};
  const fail = (field: string, problem: string) => inputError(problem, { file, field });
  const bool = (field: string): boolean | undefined => {
    const v = raw[field];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw fail(field, `must be true or false, got ${JSON.stringify(v)}`);
    return v;
  };

  options.doLowerCase = bool('do_lower_case');
  options.tokenizeChineseChars = bool('tokenize_chinese_chars');
  options.doBasicTokenize = bool('do_basic_tokenize');
  options.cleanUpTokenizationSpaces = bool('clean_up_tokenization_spaces');

  const strip = raw.strip_accents;
  if (strip !== undefined) {
    if (strip !== null && typeof strip !== 'boolean') {
      throw fail('strip_accents', `must be true, false or null, got ${JSON.stringify(strip)}`);
    }
    options.stripAccents = strip;
  }

  const maxLen = raw.model_max_length;
  if (maxLen !== undefined && maxLen !== null) {
    if (typeof maxLen !== 'number' || !(maxLen > 0) || (maxLen < NO_LIMIT && !Number.isInteger(maxLen))) {
      throw fail('model_max_length', `must be a positive integer, got ${JSON.stringify(maxLen)}`);
    }
    if (maxLen < NO_LIMIT) options.modelMaxLength = maxLen;
  }

  const neverSplit = raw.never_split;
  if (neverSplit !== undefined && neverSplit !== null) {
    if (!Array.isArray(neverSplit) || !neverSplit.every((t) => typeof t === 'string')) {
      throw fail('never_split', 'must be a list of token strings');
    }
    options.neverSplit = neverSplit;
  }

  const special = (field: string): string | undefined =>
    raw[field] === undefined ? undefined : tokenContent(raw[field], file, field);
  options.unkToken = special('unk_token');
  options.sepToken = special('sep_token');
  options.padToken = special('pad_token');
  options.clsToken = special('cls_token');
  // A model without a mask token may say so with null.
  options.maskToken = raw.mask_token === null ? null : special('mask_token');

  const additional = raw.additional_special_tokens;
  if (additional !== undefined && additional !== null) {
    if (!Array.isArray(additional)) throw fail('additional_special_tokens', 'must be a list of tokens');
    options.additionalSpecialTokens = additional.map((t, i) => tokenContent(t, file, `additional_special_tokens[${i}]`));
  }

  // Newer configs list every added token with its id: {"100": {"content": "[UNK]", "special": true, ...}}.
  const decoder = raw.added_tokens_decoder;
  if (decoder !== undefined && decoder !== null) {
    if (typeof decoder !== 'object' || Array.isArray(decoder)) {
      throw fail('added_tokens_decoder', 'must be an object mapping ids to tokens');
    }
    const added: AddedToken[] = [];
    for (const [key, value] of Object.entries(decoder as Record<string, unknown>)) {
      const field = `added_tokens_decoder.${key}`;
      const id = Number(key);
      if (!/^\d+$/.test(key) || !Number.isSafeInteger(id)) throw fail(field, 'the key must be a token id (a non-negative integer)');
      const flags = (value ?? {}) as { special?: unknown; lstrip?: unknown; rstrip?: unknown };
      // HF's AddedToken defaults to special=False, lstrip=rstrip=False.
      added.push({ content: tokenContent(value, file, field), id, special: flags.special === true, lstrip: flags.lstrip === true, rstrip: flags.rstrip === true });
    }
    options.addedTokens = added;
  }

  // Leave out what the file does not set, so spreading these options over others keeps theirs.
  for (const key of Object.keys(options) as (keyof BertTokenizerOptions)[]) {
    if (options[key] === undefined) delete options[key];
  }
  return options;
}
