import { inputError } from '../errors.js';
import { KEPT_PREFIXES } from '../weights/hf-names.js';
import type { HostTensor } from '../weights/named-tensor.js';
import { BUFFER_NAMES, type EncoderFamily } from './family.js';

export interface FamilyCheckpoint {
  /** The encoder's tensors under canonical names; `head.*` / `classifier.*` as they are. */
  tensors: Map<string, HostTensor>;
  /** Original keys set aside: other Hugging Face heads of the family, buffers. */
  ignored: string[];
}

/**
 * A RoBERTa or DistilBERT checkpoint's keys mapped onto the canonical names, with or without the
 * family prefix (`RobertaModel.save_pretrained` writes none, the task models `roberta.`), before
 * `matchParameters` checks them. Two keys naming one parameter is an error.
 */
export function familyCheckpointTensors(
  family: EncoderFamily,
  loaded: Map<string, HostTensor>,
  opts: { file: string; fineTuned: boolean },
): FamilyCheckpoint {
  const tensors = new Map<string, HostTensor>();
  const origin = new Map<string, string>();
  const ignored: string[] = [];
  for (const [key, tensor] of loaded) {
    if (family.isForeignHead(key, opts)) {
      ignored.push(key);
      continue;
    }
    if (KEPT_PREFIXES.some((p) => key.startsWith(p))) {
      tensors.set(key, tensor);
      continue;
    }
    const sub = key.startsWith(family.prefix) ? key.slice(family.prefix.length) : key;
    if (BUFFER_NAMES.includes(sub)) {
      ignored.push(key);
      continue;
    }
    const name = family.canonicalName(sub);
    const previous = origin.get(name);
    if (previous !== undefined) {
      throw inputError(`checkpoint keys "${previous}" and "${key}" both map to "${name}"`, {
        file: opts.file, field: key, fix: `the checkpoint holds two copies of one parameter; keep only one (with or without the "${family.prefix}" prefix)`,
      });
    }
    origin.set(name, key);
    tensors.set(name, tensor);
  }
  return { tensors, ignored };
}
