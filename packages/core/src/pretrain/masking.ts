import { MaxPoolBertError } from '../errors.js';
import type { SeededRng } from '../random/seeded-rng.js';
import type { MlmExample } from './mlm-examples.js';

/** How tokens are chosen and corrupted (`DataCollatorForLanguageModeling` / `...ForWholeWordMask`). */
export interface MaskingOptions {
  /** Share of the maskable tokens chosen for prediction (HF `mlm_probability`, default 0.15). */
  mlmProbability: number;
  /** Choose whole words (a token and its `##` continuations) together. */
  wholeWordMask: boolean;
  maskId: number;
  padId: number;
  /** Random replacements are uniform over [0, vocabSize) (HF: `len(tokenizer)`). */
  vocabSize: number;
  /** Whether a token id is a WordPiece continuation (`##…`); needed for whole-word masking. */
  isContinuation?: (id: number) => boolean;
}

/** A padded batch with its corruptions, on the host, row-major [B, T]. */
export interface MaskedBatch {
  rows: number;
  length: number;
  /** The corrupted input ids ([MASK], random or unchanged at the chosen positions), padded with [PAD]. */
  inputIds: Int32Array;
  /** 1 for real tokens, 0 for padding. */
  attentionMask: Int32Array;
  /** Chosen positions as `row * length + t`, ascending. */
  positions: Int32Array;
  /** The original token at each chosen position (what the loss asks for). */
  labels: Int32Array;
  /** Real (non-padding) tokens in the batch, for tokens/s. */
  tokens: number;
}

/** Python's round(): halves go to the even neighbour (round(2.5) = 2). */
function pythonRound(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * `DataCollatorForWholeWordMask._whole_word_mask`: candidate words are a token plus the `##`
 * tokens after it (special tokens skipped), shuffled; words are taken in that order while they
 * fit in `round(len · p)` predictions (at least 1, at most 512), skipping any that would not fit.
 * Unlike the token-level collator this picks an exact count, not a Bernoulli draw per token.
 */
function wholeWordChoice(example: MlmExample, p: number, isContinuation: (id: number) => boolean, rng: SeededRng): Uint8Array {
  const n = example.inputIds.length;
  const candidates: number[][] = [];
  for (let i = 0; i < n; i++) {
    if (example.special[i]) continue;
    if (candidates.length >= 1 && isContinuation(example.inputIds[i]!)) candidates[candidates.length - 1]!.push(i);
    else candidates.push([i]);
  }
  // random.shuffle: Fisher–Yates from the end.
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
  }
  const toPredict = Math.min(512, Math.max(1, pythonRound(n * p)));
  const chosen = new Uint8Array(n);
  let count = 0;
  for (const word of candidates) {
    if (count >= toPredict) break;
    if (count + word.length > toPredict) continue;
    for (const i of word) chosen[i] = 1;
    count += word.length;
  }
  return chosen;
}

/**
 * Pads `examples` into one batch and corrupts it as Hugging Face's masked-LM collators do:
 * each token that is neither special nor padding is chosen with probability `mlmProbability`
 * (whole-word masking: whole words, see above); of the chosen, 80 % become [MASK], 10 % a token
 * drawn uniformly from the vocabulary and 10 % stay as they are; only the chosen are predicted.
 * The draws come from `rng` in a fixed order (row by row, position by position), so the same
 * rng state gives the same batch.
 */
export function maskBatch(examples: readonly MlmExample[], o: MaskingOptions, rng: SeededRng): MaskedBatch {
  if (examples.length === 0) throw new MaxPoolBertError('maskBatch: a batch needs at least one example');
  if (!(o.mlmProbability > 0 && o.mlmProbability < 1)) throw new MaxPoolBertError(`mlmProbability must be in (0, 1), got ${o.mlmProbability}`);
  if (o.wholeWordMask && !o.isContinuation) throw new MaxPoolBertError('whole-word masking needs isContinuation');
  const B = examples.length;
  const T = Math.max(...examples.map((e) => e.inputIds.length));
  const inputIds = new Int32Array(B * T).fill(o.padId);
  const attentionMask = new Int32Array(B * T);
  const positions: number[] = [];
  const labels: number[] = [];
  let tokens = 0;
  for (let b = 0; b < B; b++) {
    const e = examples[b]!;
    const offset = b * T;
    inputIds.set(e.inputIds, offset);
    attentionMask.fill(1, offset, offset + e.inputIds.length);
    tokens += e.inputIds.length;
    const chosen = o.wholeWordMask ? wholeWordChoice(e, o.mlmProbability, o.isContinuation!, rng) : undefined;
    for (let t = 0; t < e.inputIds.length; t++) {
      if (e.special[t]) continue;
      if (chosen ? !chosen[t] : !(rng.next() < o.mlmProbability)) continue;
      const original = e.inputIds[t]!;
      positions.push(offset + t);
      labels.push(original);
      // HF: bernoulli(0.8) → [MASK]; else bernoulli(0.5) → a random id; else unchanged.
      if (rng.next() < 0.8) inputIds[offset + t] = o.maskId;
      else if (rng.next() < 0.5) inputIds[offset + t] = Math.floor(rng.next() * o.vocabSize);
    }
  }
  return { rows: B, length: T, inputIds, attentionMask, positions: Int32Array.from(positions), labels: Int32Array.from(labels), tokens };
}

/** A fast `isContinuation` over a vocabulary: ids whose token starts with `##`. */
export function continuationTest(tokenOf: (ids: readonly number[]) => string[], vocabSize: number, prefix = '##'): (id: number) => boolean {
  const tokens = tokenOf(Array.from({ length: vocabSize }, (_, i) => i));
  const flags = new Uint8Array(vocabSize);
  tokens.forEach((t, i) => (flags[i] = t.startsWith(prefix) ? 1 : 0));
  return (id) => flags[id] === 1;
}
