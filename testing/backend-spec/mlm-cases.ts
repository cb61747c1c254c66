// The masked-LM head (BertForMaskedLM) on every backend: tiny-bert-mlm against the independent
// reference's goldens, through the same public API the CLI's fill-mask uses.
import * as tf from '@tensorflow/tfjs-core';
import { disposeBatch, fillMask, loadMaskedLm, sparseSoftmaxCrossEntropy, toBatch, type FillMaskResult, type ModelSource } from '@maxpoolbert/core';
import { maxAbsDiff } from '../test-utils';
import type { SpecCase, SpecOutcome, SpecSettings } from './spec-cases';

/** tiny-bert-mlm/goldens.json (see that fixture's README). */
export interface MlmGoldens {
  max_length: number;
  cases: { text: string; text_pair?: string }[];
  input_ids: number[][];
  token_type_ids: number[][];
  attention_mask: number[][];
  tokens: string[][];
  mask_token_id: number;
  vocab_size: number;
  mask_positions: number[][];
  /** [B][T][H] */
  last_hidden_state: number[][][];
  /** [B][T][H]: after the head's dense → gelu → LayerNorm. */
  transform_output: number[][][];
  prediction_logits: { row: number; position: number; is_mask: boolean; logits: number[] }[];
  /** [B][T], padded positions included. */
  prediction_argmax: number[][];
  prediction_logsumexp: number[][];
  fill_mask: FillMaskResult[];
}

export async function readMlmGoldens(source: ModelSource): Promise<MlmGoldens> {
  return JSON.parse(await source.readText('goldens.json')) as MlmGoldens;
}

/**
 * Largest difference of fill-mask results from the goldens' scores; Infinity when a token id,
 * a position or a count differs (those must be equal, not close).
 */
export function fillMaskDiff(got: FillMaskResult[], want: FillMaskResult[]): number {
  if (got.length !== want.length) return Infinity;
  let diff = 0;
  got.forEach((g, b) => {
    const w = want[b];
    if (g.masks.length !== w.masks.length) diff = Infinity;
    g.masks.forEach((m, i) => {
      const wm = w.masks[i];
      if (!wm || m.position !== wm.position || m.predictions.length !== wm.predictions.length) diff = Infinity;
      m.predictions.forEach((p, j) => {
        const wp = wm?.predictions[j];
        if (!wp || p.token_id !== wp.token_id || p.token !== wp.token) diff = Infinity;
        else diff = Math.max(diff, Math.abs(p.score - wp.score));
      });
    });
  });
  return diff;
}

function parity(what: string, diff: number, tolerance: number): SpecOutcome {
  return { ok: diff <= tolerance, value: diff, detail: `${what}: max |Δ| = ${diff.toExponential(2)} (tolerance ${tolerance})` };
}

/**
 * tiny-bert-mlm end to end: its tokenization of the cases (literal `[MASK]`s included), the
 * encoder output, the head's transform and full-vocabulary logits, and fill-mask's top 5.
 */
function maskedLmGoldens(settings: SpecSettings): SpecCase {
  return {
    name: 'tiny-bert-mlm: masked-LM logits and fill-mask match the goldens',
    async run({ tinyBertMlm }) {
      const goldens = await readMlmGoldens(tinyBertMlm);
      const { model, tokenizer } = await loadMaskedLm(tinyBertMlm);
      const batch = toBatch(goldens.cases.map((c) => tokenizer.encode(c.text, c.text_pair, { maxLength: goldens.max_length })), tokenizer.padId);
      try {
        const ids = await batch.inputIds.array();
        if (maxAbsDiff(ids, goldens.input_ids) !== 0) return { ok: false, detail: `tokenization differs from the goldens' input_ids: ${JSON.stringify(ids)}` };
        const [B, T] = batch.inputIds.shape;
        const records = goldens.prediction_logits;
        const positions = tf.tensor1d(records.map((r) => r.row * T + r.position), 'int32');
        const logits = model.logitsAt(batch, positions, { training: false });
        const logitsDiff = maxAbsDiff(await logits.array(), records.map((r) => r.logits));
        tf.dispose([positions, logits]);
        const hidden = model.encoder.forward(batch, { training: false });
        const last = hidden.hiddenStates[hidden.hiddenStates.length - 1];
        const transformed = tf.tidy(() => tf.reshape(model.head.transform(tf.reshape(last, [B * T, -1]) as tf.Tensor2D), [B, T, -1]));
        const hiddenDiff = maxAbsDiff(await last.array(), goldens.last_hidden_state);
        const transformDiff = maxAbsDiff(await transformed.array(), goldens.transform_output);
        tf.dispose([...hidden.hiddenStates, hidden.mask, transformed]);
        const fillDiff = fillMaskDiff(await fillMask(model, tokenizer, goldens.cases.map((c) => ({ text: c.text, textPair: c.text_pair })), { topK: 5 }), goldens.fill_mask);
        const diff = Math.max(logitsDiff, hiddenDiff, transformDiff, fillDiff);
        const outcome = parity(`last hidden state, transform, ${records.length}×${goldens.vocab_size} logits, fill-mask top 5`, diff, settings.tolerance);
        return { ...outcome, detail: `${outcome.detail} (hidden ${hiddenDiff.toExponential(2)}, transform ${transformDiff.toExponential(2)}, logits ${logitsDiff.toExponential(2)}, fill-mask ${fillDiff.toExponential(2)})` };
      } finally {
        disposeBatch(batch);
        model.dispose();
      }
    },
  };
}

/**
 * The pre-training loss's hand-written gradient against tfjs's autodiff of the textbook
 * formula, over a vocabulary-wide row. It caught a backend whose float32 OneHot wrote int32 bits.
 */
function lossGradient(): SpecCase {
  return {
    name: 'masked-LM loss: the closed-form gradient equals autodiff over a 30522-wide vocabulary',
    async run() {
      const [N, V] = [6, 30522];
      const logits = tf.tidy(() => tf.mul(tf.sin(tf.reshape(tf.range(0, N * V), [N, V])), 4) as tf.Tensor2D);
      const labels = tf.tensor1d([0, 17, 30521, 103, 103, 2000], 'int32');
      const textbook = (x: tf.Tensor) => tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(x), tf.oneHot(labels, V)), 1))) as tf.Scalar;
      const ours = tf.valueAndGrad((x: tf.Tensor) => sparseSoftmaxCrossEntropy(x as tf.Tensor2D, labels))(logits);
      const theirs = tf.valueAndGrad(textbook)(logits);
      try {
        const diff = Math.max(maxAbsDiff(await ours.grad.array(), await theirs.grad.array()), Math.abs((await ours.value.data())[0] - (await theirs.value.data())[0]));
        // Gradients are ~1/N at most; 1e-6 is far below any real error (a lost one-hot term is 1/N).
        return { ok: diff <= 1e-6, value: diff, detail: `loss and ${N}×${V} gradient: max |Δ| = ${diff.toExponential(2)} (tolerance 1e-6)` };
      } finally {
        tf.dispose([logits, labels, ours.value, ours.grad, theirs.value, theirs.grad]);
      }
    },
  };
}

/** The masked-LM cases of the backend spec. */
export function mlmCases(settings: SpecSettings): SpecCase[] {
  return [maskedLmGoldens(settings), lossGradient()];
}
