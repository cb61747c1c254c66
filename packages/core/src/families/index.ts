/**
 * The encoder families core ships: BERT, RoBERTa and DistilBERT. Each maps its config.json and
 * checkpoint names onto the canonical BERT ones and says what differs in its forward pass
 * (`EncoderVariant`); the transformer layers are shared (`TransformerEncoder`).
 */
import type { BertConfig } from '../config/bert-config.js';
import { registerConfigFormat } from '../config/config-formats.js';
import { initBertParameters } from '../model/bert-parameters.js';
import type { HostTensor } from '../weights/named-tensor.js';
import { BERT } from './bert/index.js';
import { DISTILBERT } from './distilbert/index.js';
import type { EncoderFamily } from './family.js';
import { ROBERTA } from './roberta/index.js';

export * from './family.js';
export { BERT } from './bert/index.js';
export * from './roberta/index.js';
export * from './distilbert/index.js';
export { familyCheckpointTensors, type FamilyCheckpoint } from './checkpoint-names.js';

export const ENCODER_FAMILIES: readonly EncoderFamily[] = [BERT, ROBERTA, DISTILBERT];

for (const family of ENCODER_FAMILIES) if (family.config) registerConfigFormat(family.modelType, family.config);

/**
 * The family of a config (by `extra.model_type`). "maxpoolbert" and model types registered with
 * `registerEncoder` alone are BERT-shaped and named like BERT.
 */
export function encoderFamily(config: BertConfig): EncoderFamily {
  return ENCODER_FAMILIES.find((f) => f.modelType === config.extra.model_type) ?? BERT;
}

/**
 * The longest input (in tokens, specials included) a config's position table covers: its
 * max_position_embeddings, less RoBERTa's offset (positions start after the pad id: 514 → 512).
 */
export function maxInputTokens(config: BertConfig): number {
  return encoderFamily(config).variant.maxTokens(config);
}

/** The checkpoint key a saved folder uses for a canonical encoder parameter (`roberta.…`, `distilbert.transformer.…`). */
export function encoderCheckpointKey(config: BertConfig, canonical: string): string {
  const family = encoderFamily(config);
  return family.prefix + family.checkpointName(canonical);
}

/**
 * Canonical encoder tensors under the family's checkpoint keys: prefixed (`roberta.…`) as in a
 * task model, or bare as `BertModel` / `RobertaModel` / `DistilBertModel.save_pretrained` write them.
 */
export function toCheckpointKeys(config: BertConfig, tensors: Map<string, HostTensor>, opts: { prefixed?: boolean } = {}): Map<string, HostTensor> {
  const family = encoderFamily(config);
  const prefix = opts.prefixed ?? true ? family.prefix : '';
  return new Map([...tensors].map(([name, t]) => [prefix + family.checkpointName(name), t]));
}

/**
 * Random encoder weights for a config of any family, as Hugging Face's `_init_weights` makes
 * them (see `initBertParameters`), under canonical names. RoBERTa's pooler is there as in
 * `RobertaModel`; DistilBERT has none. RoBERTa's position table has a padding row (index
 * pad_token_id) that Hugging Face zeroes too.
 */
export function initEncoderParameters(config: BertConfig, seed: number): Map<string, HostTensor> {
  const family = encoderFamily(config);
  const shapes = family.variant.parameterShapes(config, { pooler: family !== DISTILBERT });
  const tensors = initBertParameters(config, seed, shapes);
  if (family === ROBERTA) {
    const positions = tensors.get('embeddings.position_embeddings.weight')!;
    const H = config.hidden_size;
    positions.data.fill(0, config.pad_token_id * H, (config.pad_token_id + 1) * H);
  }
  return tensors;
}
