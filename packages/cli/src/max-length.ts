import { trainedMaxLength, type BertConfig } from '@maxpoolbert/core';
import type { OptionSpec } from './command.js';
import { maxLengthFor } from './jsonl.js';

/** `--max-length` of eval, predict and embed: one default for all three. */
export const MAX_LENGTH_OPTION: OptionSpec = {
  type: 'string', value: 'N',
  description: "truncate to N tokens (default: the length the model was fine-tuned with, else its max_position_embeddings)",
};

/**
 * The max length eval, predict and embed truncate to: --max-length when given (at most the
 * model's positions), else the length the model was fine-tuned with (`maxpoolbert_max_length`
 * in a fine-tuned folder's config.json), so inputs are cut as they were in training; a folder
 * without one (a pre-trained BERT, or saved before it was recorded) uses all its positions.
 */
export function commandMaxLength(requested: number | undefined, config: BertConfig): number {
  if (requested !== undefined) return maxLengthFor(requested, config.max_position_embeddings);
  return trainedMaxLength(config) ?? config.max_position_embeddings;
}
