import { maxInputTokens, MIN_MAX_LENGTH, MIN_PAIR_MAX_LENGTH, trainedMaxLength, type BertConfig } from '@maxpoolbert/core';
import { UsageError, type OptionSpec } from './command.js';

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
  // RoBERTa's positions start after its pad id: it takes max_position_embeddings - 2 tokens.
  if (requested !== undefined) return maxLengthFor(requested, maxInputTokens(config));
  return trainedMaxLength(config) ?? maxInputTokens(config);
}

/** The max length a command uses: --max-length, capped by (and defaulting to) the model's positions. */
function maxLengthFor(requested: number | undefined, maxPositions: number): number {
  const maxLength = requested ?? maxPositions;
  checkMaxLengthFlag(requested);
  if (maxLength > maxPositions) throw new UsageError(`--max-length ${maxLength} is larger than the model's max_position_embeddings (${maxPositions})`);
  return maxLength;
}

/**
 * --max-length below 3 ([CLS], a token, [SEP]) keeps no token of any text: a usage error before
 * anything is loaded (pair rows need 5, checked per row).
 */
export function checkMaxLengthFlag(requested: number | undefined): void {
  if (requested !== undefined && requested < MIN_MAX_LENGTH) {
    throw new UsageError(
      `--max-length ${requested} cannot hold any token ([CLS] and [SEP] take 2): the smallest usable value is ${MIN_MAX_LENGTH} (${MIN_PAIR_MAX_LENGTH} for text pairs)`,
    );
  }
}
