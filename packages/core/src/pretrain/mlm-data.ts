import { MaxPoolBertError } from '../errors.js';
import { splitHeldOut } from './held-out.js';
import { groupTexts, lineByLine, type MlmExample } from './mlm-examples.js';
import type { MlmTokenizer } from './mlm-tokenizer.js';
import type { TextLine } from './text-lines.js';

export interface MlmDataOptions {
  /** The training documents (blank lines already left out, see `textLines`). */
  lines: readonly TextLine[];
  /** Validation documents; without them `validationSplit` of `lines` is held out. */
  validationLines?: readonly TextLine[];
  /** Share of `lines` held out for validation when `validationLines` is not given (0 = none). */
  validationSplit: number;
  /** Seed of the held-out draw (keep it fixed to compare runs on the same validation text). */
  splitSeed: number;
  maxLength: number;
  lineByLine: boolean;
  /** Names the text in messages (a file, "3 files"). */
  source?: string;
}

export interface MlmData {
  train: MlmExample[];
  validation: MlmExample[];
  /** Documents (lines) behind each part. */
  trainLines: number;
  validationLines: number;
}

/** Text → examples, as `run_mlm.py` prepares its datasets: split first, then tokenize (and group) each part. */
export function prepareMlmData(tokenizer: MlmTokenizer, o: MlmDataOptions): MlmData {
  if (o.lines.length === 0) throw new MaxPoolBertError(`${o.source ?? 'the training text'}: no text (every line is blank)`);
  const { train, heldOut } = o.validationLines
    ? { train: [...o.lines], heldOut: [...o.validationLines] }
    : splitHeldOut(o.lines, o.validationSplit, o.splitSeed);
  const examples = (lines: readonly TextLine[], what: string) =>
    o.lineByLine ? lineByLine(tokenizer, lines, o.maxLength) : groupTexts(tokenizer, lines, o.maxLength, what);
  return {
    train: examples(train, o.source ?? 'the training text'),
    validation: heldOut.length ? examples(heldOut, o.validationLines ? 'the validation text' : 'the held-out validation lines') : [],
    trainLines: train.length,
    validationLines: heldOut.length,
  };
}
