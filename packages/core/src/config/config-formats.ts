import type { BertConfig } from './bert-config.js';

/**
 * How a model family's config.json maps onto the canonical `BertConfig` and back. RoBERTa's
 * config.json uses BERT's keys with other defaults; DistilBERT has its own keys (`dim`,
 * `n_layers`...), which a saved folder must keep so PyTorch code can read it. The families
 * (`src/families/`) register theirs; `parseBertConfig` and `serializeBertConfig` consult them.
 */
export interface ConfigFormat {
  /** config.json (already an object) → canonical config, with `extra.model_type` the family's. */
  parse(raw: Record<string, unknown>, file: string): BertConfig;
  /** Back to the family's own config.json object. */
  serialize(config: BertConfig): Record<string, unknown>;
}

const formats = new Map<string, ConfigFormat>();

export function registerConfigFormat(modelType: string, format: ConfigFormat): void {
  formats.set(modelType, format);
}

export function configFormat(modelType: unknown): ConfigFormat | undefined {
  return typeof modelType === 'string' ? formats.get(modelType) : undefined;
}

/** The model types with a registered config format (besides BERT's own). */
export function configFormatNames(): string[] {
  return [...formats.keys()];
}
