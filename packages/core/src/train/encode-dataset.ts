import type { Example } from '../data/index.js';
import type { EncodedInput } from '../model/batch.js';
import type { BertTokenizer } from '../tokenizer/index.js';

/** Tokenises every example once (training revisits them every epoch). */
export function encodeExamples(tokenizer: BertTokenizer, examples: readonly Example[], maxLength: number): EncodedInput[] {
  return examples.map((e) => {
    const enc = tokenizer.encode(e.text, e.textPair, { maxLength });
    return { inputIds: enc.inputIds, tokenTypeIds: enc.tokenTypeIds };
  });
}
