import { serializeBertConfig, type BertConfig } from '../config/bert-config.js';
import { encodeSafetensors } from '../weights/index.js';
import { headSpecToJson } from './head-spec.js';
import { labelsToConfig } from './labels.js';
import type { SequenceClassifier } from './sequence-classifier.js';

const encoder = new TextEncoder();

/**
 * The files of a fine-tuned model folder, in the documented format PyTorch and Hugging Face can
 * read: config.json (the BERT config + architectures, labels, problem_type, maxpoolbert_head),
 * model.safetensors (`bert.*`, `head.*`, `classifier.*`) and the tokenizer files, unchanged.
 */
export async function classifierFolderFiles(
  model: SequenceClassifier,
  config: BertConfig,
  tokenizerFiles: Map<string, Uint8Array>,
): Promise<Map<string, Uint8Array[]>> {
  const { maxpoolbert_head: _old, ...extra } = config.extra;
  const json = {
    ...serializeBertConfig({ ...config, extra }),
    architectures: ['MaxPoolBertForSequenceClassification'],
    ...labelsToConfig(model.labels),
    maxpoolbert_head: headSpecToJson(model.head.spec),
  };
  const files = new Map<string, Uint8Array[]>([
    ['config.json', [encoder.encode(JSON.stringify(json, null, 2) + '\n')]],
    ['model.safetensors', encodeSafetensors(await model.exportWeights(), { format: 'pt' })],
  ]);
  for (const [name, bytes] of tokenizerFiles) files.set(name, [bytes]);
  return files;
}
