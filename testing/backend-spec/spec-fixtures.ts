import type { ModelSource } from '@maxpoolbert/core';

/** tiny-bert/goldens.json, from the independent reference implementation. */
export interface TinyBertGoldens {
  max_length: number;
  cases: { text: string; text_pair?: string }[];
  input_ids: number[][];
  token_type_ids: number[][];
  attention_mask: number[][];
  /** [layer][case][token][hidden], embedding output first. */
  hidden_states: number[][][][];
  pooler_output: number[][];
}

/** One line of a heads fixture's expected.jsonl. */
export interface ExpectedLogits {
  text: string;
  text_pair?: string;
  logits: number[];
}

/**
 * What the backend spec reads. Node opens the shared fixtures from disk, the browser fetches the
 * same files from a local server: the spec itself never touches files.
 */
export interface SpecFixtures {
  tinyBert: ModelSource;
  /** tiny-bert-mlm: a BertForMaskedLM with masked-LM goldens (mlm-cases.ts). */
  tinyBertMlm: ModelSource;
  /** tiny-roberta and tiny-distilbert: the other encoder families, with their goldens (family-cases.ts). */
  tinyRoberta: ModelSource;
  tinyDistilbert: ModelSource;
  heads: { name: string; source: ModelSource }[];
}

export const HEADS_FIXTURE_NAMES = ['cls-k1-h4-pooler-2labels', 'max-seq-mha-k2-h4-pooler-2labels'];

export async function readGoldens(tinyBert: ModelSource): Promise<TinyBertGoldens> {
  return JSON.parse(await tinyBert.readText('goldens.json')) as TinyBertGoldens;
}

export async function readExpectedLogits(source: ModelSource): Promise<ExpectedLogits[]> {
  const text = await source.readText('expected.jsonl');
  return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as ExpectedLogits);
}
