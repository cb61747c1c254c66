/**
 * The parts of reading a Hugging Face `tokenizer.json` that do not depend on the tokenizer's
 * family: the root object, naming a component in a message, the pre-tokenizer's place, the
 * `added_tokens` list and the `[token, id]` pairs of a BertProcessing/RobertaProcessing. Each
 * family's reader (tokenizer-json.ts, bpe/bpe-tokenizer-json.ts) checks the rest against the
 * shape it implements.
 */
import { inputError } from '../errors.js';
import { parseJsonObject } from './tokenizer-config.js';
import type { AddedToken } from './types.js';

export type Json = Record<string, unknown>;

/** The error for a component this port does not implement (its field, what is wrong). */
export type Unsupported = (field: string, problem: string) => Error;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** How to name a component in a message, without dumping a whole (maybe huge) object. */
export function describeComponent(v: unknown): string {
  if (isObject(v)) return typeof v.type === 'string' ? JSON.stringify(v.type) : 'without a "type"';
  if (Array.isArray(v)) return 'given as a list';
  return v === undefined ? 'missing' : String(JSON.stringify(v));
}

/**
 * The file's root object, and the error maker for what it holds that this port does not
 * implement; `fix` says what to use instead.
 */
export function openTokenizerJson(json: string | object, file: string, fix: string): { root: Json; unsupported: Unsupported } {
  const root = parseJsonObject(json, file);
  const unsupported: Unsupported = (field, problem) => inputError(problem, { file, field, fix });
  return { root, unsupported };
}

/**
 * The `added_tokens` list (undefined when absent), matched verbatim in text and never split.
 * `withStrip`: keep their lstrip/rstrip (byte-level BPE); BERT leaves them out, as they only
 * eat whitespace next to the token, which BERT drops anyway.
 */
export function readAddedTokens(
  added: unknown,
  file: string,
  unsupported: Unsupported,
  withStrip: boolean,
): AddedToken[] | undefined {
  if (added === undefined || added === null) return undefined;
  if (!Array.isArray(added)) throw inputError('must be a list', { file, field: 'added_tokens' });
  return added.map((entry, i): AddedToken => {
    const field = `added_tokens[${i}]`;
    if (!isObject(entry) || typeof entry.content !== 'string' || typeof entry.id !== 'number') {
      throw inputError('must be an object with a "content" string and an "id" number', { file, field });
    }
    if (entry.single_word === true) {
      throw unsupported(`${field}.single_word`, `added token ${JSON.stringify(entry.content)} has single_word: true, which is not supported`);
    }
    const token: AddedToken = { content: entry.content, id: entry.id, special: entry.special === true };
    if (withStrip) {
      token.lstrip = entry.lstrip === true;
      token.rstrip = entry.rstrip === true;
    }
    return token;
  });
}

/**
 * The pre-tokenizer, alone or as the only member of a Sequence, which must be of type `expected`;
 * `field` is where it stands, for messages about its settings.
 */
export function readPreTokenizer(root: Json, expected: string, unsupported: Unsupported): { pre: Json; field: string } {
  let pre = root.pre_tokenizer;
  let field = 'pre_tokenizer';
  if (isObject(pre) && pre.type === 'Sequence' && Array.isArray(pre.pretokenizers) && pre.pretokenizers.length === 1) {
    pre = pre.pretokenizers[0];
    field = 'pre_tokenizer.pretokenizers[0]';
  }
  if (!isObject(pre) || pre.type !== expected) {
    throw unsupported(`${field}.type`, `pre-tokenizer ${describeComponent(pre)} is not supported (expected ${JSON.stringify(expected)})`);
  }
  return { pre, field };
}

/** The cls and sep token strings of a BertProcessing/RobertaProcessing (`{"sep": ["[SEP]", 102], "cls": ["[CLS]", 101]}`). */
export function processingTokens(post: Json, unsupported: Unsupported): { cls: string; sep: string } {
  const pick = (name: 'cls' | 'sep'): string => {
    const pair = post[name];
    if (!Array.isArray(pair) || typeof pair[0] !== 'string') throw unsupported(`post_processor.${name}`, 'must be a [token, id] pair');
    return pair[0];
  };
  return { cls: pick('cls'), sep: pick('sep') };
}
