/**
 * Reads a RoBERTa-style `tokenizer_config.json` into `ByteLevelBpeOptions`. The fields shared
 * with BERT (model_max_length, special tokens, added_tokens_decoder, clean-up) go through the
 * same parser, so they are checked the same way; the BPE-only ones (add_prefix_space,
 * bos/eos tokens, the mask token's lstrip) are read here.
 */
import { inputError } from '../../errors.js';
import { parseJsonObject, parseTokenizerConfig, tokenContent, type TokenizerConfigInput } from '../tokenizer-config.js';
import type { AddedToken } from '../types.js';
import type { ByteLevelBpeOptions } from './bpe-options.js';

export function parseBpeTokenizerConfig(config: TokenizerConfigInput, file = 'tokenizer_config.json'): ByteLevelBpeOptions {
  const raw = parseJsonObject(config, file);
  const common = parseTokenizerConfig(raw, file);
  const options: ByteLevelBpeOptions = {
    unkToken: common.unkToken,
    sepToken: common.sepToken,
    padToken: common.padToken,
    clsToken: common.clsToken,
    maskToken: common.maskToken,
    additionalSpecialTokens: common.additionalSpecialTokens,
    modelMaxLength: common.modelMaxLength,
    cleanUpTokenizationSpaces: common.cleanUpTokenizationSpaces,
  };
  const prefix = raw.add_prefix_space;
  if (prefix !== undefined && prefix !== null) {
    if (typeof prefix !== 'boolean') throw inputError(`must be true or false, got ${JSON.stringify(prefix)}`, { file, field: 'add_prefix_space' });
    options.addPrefixSpace = prefix;
  }
  if (raw.bos_token !== undefined && raw.bos_token !== null) options.bosToken = tokenContent(raw.bos_token, file, 'bos_token');
  if (raw.eos_token !== undefined && raw.eos_token !== null) options.eosToken = tokenContent(raw.eos_token, file, 'eos_token');

  // Older configs serialise special tokens as AddedToken objects carrying their flags
  // ({"content": "<mask>", "lstrip": true, ...}); the added_tokens_decoder entries, when present,
  // come after and so win, as in transformers.
  const added: AddedToken[] = [];
  for (const field of ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token']) {
    const v = raw[field];
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const f = v as { lstrip?: unknown; rstrip?: unknown };
      added.push({ content: tokenContent(v, file, field), special: true, lstrip: f.lstrip === true, rstrip: f.rstrip === true });
    }
  }
  added.push(...(common.addedTokens ?? []));
  if (added.length) options.addedTokens = added;

  for (const key of Object.keys(options) as (keyof ByteLevelBpeOptions)[]) {
    if (options[key] === undefined) delete options[key];
  }
  return options;
}
