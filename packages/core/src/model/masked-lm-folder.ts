import { serializeBertConfig } from '../config/bert-config.js';
import { encodeSafetensors } from '../weights/index.js';
import type { HostTensor } from '../weights/named-tensor.js';
import type { MaskedLanguageModel } from './masked-lm.js';
import { ENCODER_PREFIX } from './sequence-classifier.js';

const encoder = new TextEncoder();

/** The `architectures` entry of a masked-LM folder's config.json. */
export const MASKED_LM_ARCHITECTURE = 'BertForMaskedLM';

/**
 * The files of a Hugging Face `BertForMaskedLM` folder, as byte chunks for a backend package to
 * write atomically: config.json (architectures `BertForMaskedLM`), model.safetensors with the
 * encoder under `bert.*` (no pooler: BertForMaskedLM has none) and the head under
 * `cls.predictions.*` (no decoder weight: it is tied to the word embeddings, which is how HF
 * saves it too), and the tokenizer files unchanged. `transformers` and `loadMaskedLm` read it.
 */
export async function maskedLmFolderFiles(model: MaskedLanguageModel, tokenizerFiles: Map<string, Uint8Array>): Promise<Map<string, Uint8Array[]>> {
  // A classifier's head spec would make the folder look like a fine-tuned classifier; it is not one.
  const { maxpoolbert_head: _head, architectures: _architectures, ...extra } = model.config.extra;
  const json = { ...serializeBertConfig({ ...model.config, extra }), architectures: [MASKED_LM_ARCHITECTURE] };
  const tensors = new Map<string, HostTensor>();
  const head = model.head.variables();
  for (const [name, t] of await model.exportWeights()) tensors.set(head.has(name) ? name : ENCODER_PREFIX + name, t);
  const files = new Map<string, Uint8Array[]>([
    ['config.json', [encoder.encode(JSON.stringify(json, null, 2) + '\n')]],
    ['model.safetensors', encodeSafetensors(tensors, { format: 'pt' })],
  ]);
  for (const [name, bytes] of tokenizerFiles) files.set(name, [bytes]);
  return files;
}
