import { checkMaxLength, type Example } from '../data/index.js';
import type { EncodedInput } from '../model/batch.js';
import type { Tokenizer } from '../tokenizer/index.js';

/**
 * Tokenises every example once (training revisits them every epoch). A `maxLength` that cannot
 * hold a token of each text is an error naming `file` and the example's line.
 */
export function encodeExamples(tokenizer: Tokenizer, examples: readonly Example[], maxLength: number, file?: string): EncodedInput[] {
  checkMaxLength(examples, maxLength, file);
  return examples.map((e) => {
    const enc = tokenizer.encode(e.text, e.textPair, { maxLength });
    return { inputIds: enc.inputIds, tokenTypeIds: enc.tokenTypeIds };
  });
}
