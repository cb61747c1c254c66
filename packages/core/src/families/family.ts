import type { ConfigFormat } from '../config/config-formats.js';
import type { EncoderVariant } from '../model/bert-encoder.js';

/**
 * One encoder family (BERT, RoBERTa, DistilBERT): how its config.json, its checkpoint names and
 * its forward pass differ from BERT's. Inside, every family uses the canonical BERT parameter
 * names (`embeddings.*`, `encoder.layer.N.*`, `pooler.dense.*`), so heads, trainer and
 * checkpoint code never see the family; saved folders get the family's own names back.
 */
export interface EncoderFamily {
  /** config.json's `model_type`. */
  readonly modelType: string;
  /** Prefix of the encoder's keys in Hugging Face's task models (`roberta.`, `distilbert.`). */
  readonly prefix: string;
  readonly variant: EncoderVariant;
  /** config.json ↔ canonical config (absent: BERT's keys and defaults). */
  readonly config?: ConfigFormat;
  /** A checkpoint key, prefix removed, → canonical name (keys it does not know come back as they are). */
  canonicalName(key: string): string;
  /** A canonical name → the family's key (without the prefix). */
  checkpointName(canonical: string): string;
  /**
   * Keys of Hugging Face's other heads for this family (masked-LM, sequence classification),
   * which loading sets aside. `fineTuned`: the folder is a MaxPoolBERT classifier, whose own
   * `classifier.*` must be kept.
   */
  isForeignHead(key: string, opts: { fineTuned: boolean }): boolean;
}

/** Buffers Hugging Face checkpoints carry next to the parameters (never loaded), by canonical name. */
export const BUFFER_NAMES: readonly string[] = ['embeddings.position_ids', 'embeddings.token_type_ids'];
