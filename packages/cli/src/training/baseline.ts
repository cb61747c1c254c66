import { UsageError } from '../command.js';

/** The head every other is compared with when --baseline is not given: plain [CLS] pooling. */
export const DEFAULT_BASELINE = 'cls';

export interface Baseline {
  head: string;
  /** Set when the default baseline is not among the heads and the first head stands in for it. */
  note?: string;
}

/**
 * Which head a compare's statistics take as the baseline. A `--baseline` that is not among the
 * heads is a usage error naming them (checked before any training); without one, `cls`, or the
 * first head when cls is not compared (the note says so).
 */
export function resolveBaseline(heads: readonly string[], requested?: string): Baseline {
  if (requested !== undefined) {
    if (!heads.includes(requested)) {
      throw new UsageError(`--baseline ${requested} is not among the heads (${heads.join(', ')}): pass one of them, or add it to --heads`);
    }
    return { head: requested };
  }
  if (heads.includes(DEFAULT_BASELINE) || heads.length === 0) return { head: DEFAULT_BASELINE };
  return { head: heads[0]!, note: `${DEFAULT_BASELINE} is not among the heads: comparing against ${heads[0]} (the first head; choose another with --baseline)` };
}
