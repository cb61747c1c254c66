import * as tf from '@tensorflow/tfjs-core';
import { createEncoder, disposeBatch, loadBertWeights, readBertConfig, toBatch, type ModelSource } from '@maxpoolbert/core';
import { maxAbsDiff } from '../test-utils';
import type { SpecCase, SpecSettings } from './spec-cases';
import type { SpecFixtures } from './spec-fixtures';

/** tiny-roberta / tiny-distilbert goldens.json, from the independent PyTorch reference. */
interface FamilyGoldens {
  input_ids: number[][];
  attention_mask: number[][];
  /** RoBERTa's only (all 0); DistilBERT takes no token types. */
  token_type_ids?: number[][];
  /** [layer][case][token][hidden], embedding output first; padded positions included. */
  hidden_states: number[][][][];
  /** RoBERTa only: tanh(dense(h[:, 0])). */
  pooler_output?: number[][];
}

/**
 * One encoder family's fixture against its goldens: the goldens' input ids go straight in (no
 * tokenizer), padded rows included, through `readBertConfig`, `loadBertWeights` and the encoder
 * registered for the model_type, so config mapping, checkpoint names and the family's forward
 * pass are all checked. DistilBERT has no pooler: the loader gives it
 * a new one, which the report must say.
 */
function familyGoldens(
  label: string,
  pick: (f: SpecFixtures) => ModelSource,
  settings: SpecSettings,
  expectations: { pooler: boolean; padId: number },
): SpecCase {
  return {
    name: `${label}: every hidden state ${expectations.pooler ? 'and the pooler match' : 'matches'} the goldens`,
    async run(fixtures) {
      const source = pick(fixtures);
      const goldens = JSON.parse(await source.readText('goldens.json')) as FamilyGoldens;
      const config = await readBertConfig(source);
      const { encoder: weights, report } = await loadBertWeights(source, config);
      const encoder = createEncoder(config, weights, { trainable: false });
      const batch = toBatch(goldens.input_ids.map((ids, i) => ({
        inputIds: ids, tokenTypeIds: goldens.token_type_ids?.[i] ?? ids.map(() => 0), attentionMask: goldens.attention_mask[i],
      })), expectations.padId);
      try {
        if (report.poolerInitialised === expectations.pooler) {
          return { ok: false, detail: `poolerInitialised is ${report.poolerInitialised}, expected ${!expectations.pooler}` };
        }
        const out = encoder.forward(batch, { training: false });
        let diff = 0;
        for (let layer = 0; layer < out.hiddenStates.length; layer++) {
          diff = Math.max(diff, maxAbsDiff(await out.hiddenStates[layer].array(), goldens.hidden_states[layer]));
        }
        const parts = [`${out.hiddenStates.length} hidden states`];
        if (expectations.pooler) {
          const last = out.hiddenStates[config.num_hidden_layers];
          const pooled = tf.tidy(() => encoder.pool(tf.squeeze(tf.slice(last, [0, 0, 0], [-1, 1, -1]), [1]) as tf.Tensor2D));
          diff = Math.max(diff, maxAbsDiff(await pooled.array(), goldens.pooler_output!));
          pooled.dispose();
          parts.push('pooler');
        }
        tf.dispose([...out.hiddenStates, out.mask]);
        return { ok: diff <= settings.tolerance, value: diff, detail: `${parts.join(' + ')}: max |Δ| = ${diff.toExponential(2)} (tolerance ${settings.tolerance})` };
      } finally {
        disposeBatch(batch);
        encoder.dispose();
      }
    },
  };
}

/** The encoder families besides BERT (RoBERTa, DistilBERT) against their goldens. */
export function familyCases(settings: SpecSettings): SpecCase[] {
  return [
    familyGoldens('tiny-roberta', (f) => f.tinyRoberta, settings, { pooler: true, padId: 1 }),
    familyGoldens('tiny-distilbert', (f) => f.tinyDistilbert, settings, { pooler: false, padId: 0 }),
  ];
}
