/**
 * Loads a model folder's tokenizer through a `ModelSource` (file system, fetch, memory...), so
 * this code itself never touches Node APIs or the network.
 */
import { inputError } from '../errors.js';
import type { ModelSource } from '../io/model-source.js';
import { BertTokenizer } from './bert-tokenizer.js';

export const TOKENIZER_JSON = 'tokenizer.json';
export const VOCAB_TXT = 'vocab.txt';
export const TOKENIZER_CONFIG_JSON = 'tokenizer_config.json';

/**
 * The folder's tokenizer. `tokenizer.json` is preferred when present (it is what
 * `AutoTokenizer` loads by default); otherwise `vocab.txt`. A `tokenizer_config.json` next to
 * either supplies its settings (do_lower_case, model_max_length, special tokens, ...).
 */
export async function loadTokenizer(source: ModelSource): Promise<BertTokenizer> {
  const config = (await source.has(TOKENIZER_CONFIG_JSON)) ? await source.readText(TOKENIZER_CONFIG_JSON) : undefined;
  const configLabel = source.pathOf(TOKENIZER_CONFIG_JSON);
  if (await source.has(TOKENIZER_JSON)) {
    const json = await source.readText(TOKENIZER_JSON);
    return BertTokenizer.fromTokenizerJson(json, source.pathOf(TOKENIZER_JSON), config, configLabel);
  }
  if (await source.has(VOCAB_TXT)) {
    const text = await source.readText(VOCAB_TXT);
    return BertTokenizer.fromVocabText(text, config, source.pathOf(VOCAB_TXT), configLabel);
  }
  throw inputError('no tokenizer files found', {
    file: source.location,
    fix: `the folder needs ${TOKENIZER_JSON}, or ${VOCAB_TXT} (with an optional ${TOKENIZER_CONFIG_JSON}); copy them from the Hugging Face model repository`,
  });
}
