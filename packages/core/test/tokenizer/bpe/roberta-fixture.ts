// The tiny-roberta fixture's tokenizer files (roberta-base's vocab.json + merges.txt) and goldens.
import { ByteLevelBpeTokenizer } from '../../../src/tokenizer/index.js';
import { readFixture } from '../fixtures.js';

export const ROBERTA_DIR = 'tiny-roberta';

export const robertaFile = (name: string): string => readFixture(ROBERTA_DIR, name);

/** The fixture's tokenizer, as loaded from vocab.json + merges.txt + tokenizer_config.json. */
export function robertaTokenizer(): ByteLevelBpeTokenizer {
  return ByteLevelBpeTokenizer.fromVocabAndMerges(robertaFile('vocab.json'), robertaFile('merges.txt'), robertaFile('tokenizer_config.json'));
}

export interface RobertaGoldenCase {
  text: string;
  text_pair?: string;
  max_length?: number;
  tokens: string[];
  input_ids: number[];
  attention_mask: number[];
}

export function robertaGoldens(): RobertaGoldenCase[] {
  return robertaFile('tokenizer-goldens.jsonl')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RobertaGoldenCase);
}
