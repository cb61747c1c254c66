/**
 * Tokenizer throughput: how many tokens per second `encodeBatch` produces over a list of texts,
 * for any `Tokenizer` (WordPiece, byte-level BPE), so the two can be compared on the same texts.
 * Pure TypeScript timing (no backend involved); the caller supplies texts and tokenizers.
 */
import type { Tokenizer } from '../tokenizer/tokenizer.js';
import type { TextInput } from '../tokenizer/types.js';
import { timeRuns, type TimingStats } from './timing.js';

export interface TokenizerBenchOptions {
  /** Untimed passes first (default 1); they also fill the tokenizers' per-word caches. */
  warmup?: number;
  /** Timed passes over all texts (default 5). */
  runs?: number;
  /** Truncate each input to this many tokens (default: no truncation). */
  maxLength?: number;
}

export interface TokenizerBenchRecord {
  /** The caller's name for the tokenizer (e.g. "bert-base-uncased"). */
  name: string;
  kind: Tokenizer['kind'];
  texts: number;
  /** Characters (UTF-16 code units) of all texts of one pass. */
  chars: number;
  /** Tokens of one pass, special tokens included. */
  tokens: number;
  tokensPerSecond: number;
  textsPerSecond: number;
  timing: TimingStats;
}

/** Times `tokenizer.encodeBatch(inputs)` passes and reports tokens/s from the median pass. */
export async function benchTokenizer(
  name: string,
  tokenizer: Tokenizer,
  inputs: readonly TextInput[],
  opts: TokenizerBenchOptions = {},
): Promise<TokenizerBenchRecord> {
  const encodeOptions = opts.maxLength === undefined ? {} : { maxLength: opts.maxLength };
  let tokens = 0;
  const timing = await timeRuns(
    async () => {
      let n = 0;
      for (const e of tokenizer.encodeBatch(inputs, encodeOptions)) n += e.inputIds.length;
      tokens = n;
    },
    { warmup: opts.warmup ?? 1, runs: opts.runs ?? 5 },
  );
  const chars = inputs.reduce((sum, i) => sum + (typeof i === 'string' ? i.length : i.text.length + (i.textPair?.length ?? 0)), 0);
  const seconds = timing.medianMs / 1000;
  return {
    name,
    kind: tokenizer.kind,
    texts: inputs.length,
    chars,
    tokens,
    tokensPerSecond: seconds > 0 ? tokens / seconds : Infinity,
    textsPerSecond: seconds > 0 ? inputs.length / seconds : Infinity,
    timing,
  };
}
