/**
 * Loads a model folder's tokenizer through a `ModelSource` (file system, fetch, memory...), so
 * this code itself never touches Node APIs or the network.
 */
import { inputError } from '../errors.js';
import type { ModelSource } from '../io/model-source.js';
import { BertTokenizer } from './bert-tokenizer.js';
import { ByteLevelBpeTokenizer } from './bpe/byte-level-bpe-tokenizer.js';
import { parseJsonObject } from './tokenizer-config.js';
import type { Tokenizer } from './tokenizer.js';

export const TOKENIZER_JSON = 'tokenizer.json';
export const VOCAB_TXT = 'vocab.txt';
export const VOCAB_JSON = 'vocab.json';
export const MERGES_TXT = 'merges.txt';
export const TOKENIZER_CONFIG_JSON = 'tokenizer_config.json';

/**
 * The folder's tokenizer. `tokenizer.json` is preferred when present (it is what
 * `AutoTokenizer` loads by default), by its `model.type`: "WordPiece" gives a `BertTokenizer`,
 * "BPE" a `ByteLevelBpeTokenizer`. Otherwise `vocab.txt` (WordPiece), else `vocab.json` +
 * `merges.txt` (byte-level BPE). A `tokenizer_config.json` next to any of them supplies its
 * settings (do_lower_case, add_prefix_space, model_max_length, special tokens, ...).
 */
export async function loadTokenizer(source: ModelSource): Promise<Tokenizer> {
  const config = (await source.has(TOKENIZER_CONFIG_JSON)) ? await source.readText(TOKENIZER_CONFIG_JSON) : undefined;
  const configLabel = source.pathOf(TOKENIZER_CONFIG_JSON);
  if (await source.has(TOKENIZER_JSON)) {
    const label = source.pathOf(TOKENIZER_JSON);
    const json = parseJsonObject(await source.readText(TOKENIZER_JSON), label);
    const model = json.model;
    const type = typeof model === 'object' && model !== null ? (model as { type?: unknown }).type : undefined;
    if (type === 'WordPiece') return BertTokenizer.fromTokenizerJson(json, label, config, configLabel);
    if (type === 'BPE') return ByteLevelBpeTokenizer.fromTokenizerJson(json, label, config, configLabel);
    throw inputError(`model type ${type === undefined ? 'missing' : JSON.stringify(type)} is not supported (expected "WordPiece" or "BPE")`, {
      file: label,
      field: 'model.type',
      fix: `only WordPiece (BERT) and byte-level BPE (RoBERTa) tokenizers load; remove ${TOKENIZER_JSON} to use the folder's ${VOCAB_TXT} or ${VOCAB_JSON} + ${MERGES_TXT}`,
    });
  }
  if (await source.has(VOCAB_TXT)) {
    const text = await source.readText(VOCAB_TXT);
    return BertTokenizer.fromVocabText(text, config, source.pathOf(VOCAB_TXT), configLabel);
  }
  if (await source.has(VOCAB_JSON)) {
    if (!(await source.has(MERGES_TXT))) {
      throw inputError(`${VOCAB_JSON} needs a ${MERGES_TXT} beside it`, {
        file: source.pathOf(MERGES_TXT),
        fix: `copy ${MERGES_TXT} from the Hugging Face model repository (byte-level BPE needs both)`,
      });
    }
    const [vocab, merges] = [await source.readText(VOCAB_JSON), await source.readText(MERGES_TXT)];
    return ByteLevelBpeTokenizer.fromVocabAndMerges(vocab, merges, config, {
      vocab: source.pathOf(VOCAB_JSON),
      merges: source.pathOf(MERGES_TXT),
      config: configLabel,
    });
  }
  throw inputError('no tokenizer files found', {
    file: source.location,
    fix: `the folder needs ${TOKENIZER_JSON}, or ${VOCAB_TXT} (WordPiece), or ${VOCAB_JSON} + ${MERGES_TXT} (byte-level BPE), each with an optional ${TOKENIZER_CONFIG_JSON}; copy them from the Hugging Face model repository`,
  });
}
