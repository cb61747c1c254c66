import { serializeBertConfig, type BertConfig } from '../config/bert-config.js';
import { encodeSafetensors } from '../weights/index.js';
import { maxInputTokens } from '../families/index.js';
import { NO_POOLER_KEY } from './load-bert.js';
import { headSpecToJson } from './head-spec.js';
import { labelsToConfig } from './labels.js';
import type { SequenceClassifier } from './sequence-classifier.js';

const encoder = new TextEncoder();

/**
 * The config.json key holding the max length (in tokens) a model was fine-tuned with: eval,
 * predict and embed truncate to it by default, so they see inputs as training did.
 */
export const TRAINED_MAX_LENGTH_KEY = 'maxpoolbert_max_length';

/** What a fine-tuned folder records about its training, next to the model itself. */
export interface ClassifierFolderMetadata {
  /** The max length the model was fine-tuned with (default: the one the folder had, if any). */
  maxLength?: number;
}

/** The max length a fine-tuned folder says its model was trained with, if it says (and sensibly). */
export function trainedMaxLength(config: BertConfig): number | undefined {
  const v = config.extra[TRAINED_MAX_LENGTH_KEY];
  return Number.isInteger(v) && (v as number) >= 2 && (v as number) <= maxInputTokens(config) ? (v as number) : undefined;
}

/**
 * The files of a fine-tuned model folder, in the documented format PyTorch and Hugging Face can
 * read: config.json (the BERT config + architectures, labels, problem_type, maxpoolbert_head and
 * the training max length, `maxpoolbert_max_length`),
 * model.safetensors (`bert.*` — `roberta.*` / `distilbert.*` for those families, which also keep
 * their own config keys —, `head.*`, `classifier.*`) and the tokenizer files, unchanged.
 */
export async function classifierFolderFiles(
  model: SequenceClassifier,
  config: BertConfig,
  tokenizerFiles: Map<string, Uint8Array>,
  metadata: ClassifierFolderMetadata = {},
): Promise<Map<string, Uint8Array[]>> {
  const { maxpoolbert_head: _old, [TRAINED_MAX_LENGTH_KEY]: oldMaxLength, [NO_POOLER_KEY]: _pooler, ...extra } = config.extra;
  const maxLength = metadata.maxLength ?? oldMaxLength;
  const json = {
    ...serializeBertConfig({ ...config, extra }),
    architectures: ['MaxPoolBertForSequenceClassification'],
    ...labelsToConfig(model.labels),
    maxpoolbert_head: headSpecToJson(model.head.spec),
    ...(maxLength !== undefined ? { [TRAINED_MAX_LENGTH_KEY]: maxLength } : {}),
    // Built without a pooler (--no-pooler): loading it again builds none either.
    ...(model.encoder.hasPooler === false ? { [NO_POOLER_KEY]: false } : {}),
  };
  const files = new Map<string, Uint8Array[]>([
    ['config.json', [encoder.encode(JSON.stringify(json, null, 2) + '\n')]],
    ['model.safetensors', encodeSafetensors(await model.exportWeights(), { format: 'pt' })],
  ]);
  for (const [name, bytes] of tokenizerFiles) files.set(name, [bytes]);
  return files;
}
