/** Validation of `encode`/`encodeBatch` options (HF defaults filled in), and padding. */
import { inputError } from '../errors.js';
import { TRUNCATION_STRATEGIES, type TruncationStrategy } from './truncation.js';
import type { EncodeOptions, Encoding, PaddingStrategy } from './types.js';

/** Encode options with their defaults filled in and checked. */
export interface ResolvedEncodeOptions {
  maxLength?: number;
  truncation: TruncationStrategy;
  padding: PaddingStrategy;
  addSpecialTokens: boolean;
}

const PADDING_STRATEGIES: readonly PaddingStrategy[] = ['none', 'longest', 'max_length'];

/**
 * Checks `options` and fills in the defaults.
 * @param modelMaxLength the tokenizer's `modelMaxLength`, suggested when `max_length` padding lacks a length
 */
export function resolveEncodeOptions(options: EncodeOptions, modelMaxLength: number | undefined): ResolvedEncodeOptions {
  const { maxLength } = options;
  if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < 1)) {
    throw inputError(`must be a positive integer, got ${JSON.stringify(maxLength)}`, { field: 'maxLength' });
  }
  const truncation = options.truncation ?? (maxLength === undefined ? 'do_not_truncate' : 'longest_first');
  if (!TRUNCATION_STRATEGIES.includes(truncation)) {
    throw inputError(`unknown strategy ${JSON.stringify(truncation)}`, {
      field: 'truncation',
      fix: `use one of ${TRUNCATION_STRATEGIES.join(', ')}`,
    });
  }
  const padding = options.padding ?? 'none';
  if (!PADDING_STRATEGIES.includes(padding)) {
    throw inputError(`unknown strategy ${JSON.stringify(padding)}`, {
      field: 'padding',
      fix: `use one of ${PADDING_STRATEGIES.join(', ')}`,
    });
  }
  if (padding === 'max_length' && maxLength === undefined) {
    throw inputError('padding "max_length" needs a maxLength', {
      field: 'maxLength',
      fix: modelMaxLength !== undefined ? `e.g. maxLength: ${modelMaxLength} (the model's limit)` : 'set maxLength',
    });
  }
  return { maxLength, truncation, padding, addSpecialTokens: options.addSpecialTokens ?? true };
}

/** Right-pads to `length` with `padId` (never truncates: a longer encoding is left as it is, as HF does). */
export function padEncoding(encoding: Encoding, length: number, padId: number): void {
  for (let i = encoding.inputIds.length; i < length; i++) {
    encoding.inputIds.push(padId);
    encoding.tokenTypeIds.push(0);
    encoding.attentionMask.push(0);
  }
}
