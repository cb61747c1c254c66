import { serializeBertConfig, type BertConfig } from '../config/bert-config.js';
import { encodeSafetensors } from '../weights/index.js';
import type { HostTensor } from '../weights/named-tensor.js';

export interface ModelFolderContents {
  config: BertConfig;
  /** Tensors under the names to write (e.g. canonical encoder names, or `bert.`-prefixed ones). */
  tensors: Map<string, HostTensor>;
  vocabText: string;
  tokenizerConfig: Record<string, unknown>;
}

const encoder = new TextEncoder();

/**
 * The files of a Hugging Face model folder, as byte chunks ready to be written (atomically, by a
 * backend package): config.json, model.safetensors, vocab.txt, tokenizer_config.json.
 */
export function modelFolderFiles(contents: ModelFolderContents): Map<string, Uint8Array[]> {
  return new Map([
    ['config.json', [encoder.encode(JSON.stringify(serializeBertConfig(contents.config), null, 2) + '\n')]],
    ['model.safetensors', encodeSafetensors(contents.tensors, { format: 'pt' })],
    ['vocab.txt', [encoder.encode(contents.vocabText.endsWith('\n') ? contents.vocabText : contents.vocabText + '\n')]],
    ['tokenizer_config.json', [encoder.encode(JSON.stringify(contents.tokenizerConfig, null, 2) + '\n')]],
  ]);
}
