import * as tf from '@tensorflow/tfjs-core';
import {
  BertEncoder, DEFAULT_TRAIN_OPTIONS, disposeBatch, evaluate, fineTune, initBertParameters, loadBertWeights, loadClassifier,
  MemoryModelSource, modelFolderFiles, readBertConfig, toBatch, type Dataset, type LabelSet, type ModelSource,
} from '@maxpoolbert/core';
import '@maxpoolbert/heads';
import { maxAbsDiff } from '../test-utils';
import { readExpectedLogits, readGoldens, type SpecFixtures } from './spec-fixtures';
import { mlmCases } from './mlm-cases';
import { familyCases } from './family-cases';

/** What one case found: `value` is the measured error (parity) or loss ratio (training). */
export interface SpecOutcome {
  ok: boolean;
  detail: string;
  value?: number;
}

export interface SpecCase {
  name: string;
  run(fixtures: SpecFixtures): Promise<SpecOutcome>;
}

export interface SpecSettings {
  /** Largest absolute difference allowed against the reference's numbers. */
  tolerance: number;
}

function parity(what: string, diff: number, tolerance: number): SpecOutcome {
  return { ok: diff <= tolerance, value: diff, detail: `${what}: max |Δ| = ${diff.toExponential(2)} (tolerance ${tolerance})` };
}

/** The tiny-bert encoder against the reference: every layer's hidden states and the pooler. */
function encoderGoldens(settings: SpecSettings): SpecCase {
  return {
    name: 'tiny-bert: every hidden state and the pooler match the goldens',
    async run({ tinyBert }) {
      const goldens = await readGoldens(tinyBert);
      const config = await readBertConfig(tinyBert);
      const encoder = new BertEncoder(config, (await loadBertWeights(tinyBert, config)).encoder);
      const batch = toBatch(goldens.input_ids.map((ids, i) => ({ inputIds: ids, tokenTypeIds: goldens.token_type_ids[i], attentionMask: goldens.attention_mask[i] })), 0);
      try {
        const out = encoder.forward(batch, { training: false });
        let diff = 0;
        for (let layer = 0; layer < out.hiddenStates.length; layer++) {
          diff = Math.max(diff, maxAbsDiff(await out.hiddenStates[layer].array(), goldens.hidden_states[layer]));
        }
        const last = out.hiddenStates[config.num_hidden_layers];
        const pooled = tf.tidy(() => encoder.pool(tf.squeeze(tf.slice(last, [0, 0, 0], [-1, 1, -1]), [1]) as tf.Tensor2D));
        diff = Math.max(diff, maxAbsDiff(await pooled.array(), goldens.pooler_output));
        tf.dispose([...out.hiddenStates, out.mask, pooled]);
        return parity(`${out.hiddenStates.length} hidden states + pooler`, diff, settings.tolerance);
      } finally {
        disposeBatch(batch);
        encoder.dispose();
      }
    },
  };
}

/** A fine-tuned checkpoint in our format: tokenizer, encoder, head and classifier end to end. */
function headsFixture(name: string, settings: SpecSettings): SpecCase {
  return {
    name: `${name}: logits match expected.jsonl`,
    async run({ heads }) {
      const fixture = heads.find((h) => h.name === name);
      if (!fixture) return { ok: false, detail: `fixture ${name} not provided` };
      const expected = await readExpectedLogits(fixture.source);
      const { model, tokenizer } = await loadClassifier(fixture.source);
      try {
        const batch = toBatch(expected.map((e) => tokenizer.encode(e.text, e.text_pair)), tokenizer.padId);
        const logits = model.logits(batch, { training: false });
        const diff = maxAbsDiff(await logits.array(), expected.map((e) => e.logits));
        tf.dispose(logits);
        disposeBatch(batch);
        return parity(`${expected.length} texts`, diff, settings.tolerance);
      } finally {
        model.dispose();
      }
    },
  };
}

/**
 * Sums of many tensors: the gradient norm adds one term per parameter (~40 for tiny-bert, ~200
 * for bert-base), more than some backends' AddN can bind at once (core's ensureKernels splits it).
 */
function manyTermSum(): SpecCase {
  return {
    name: 'kernels: addN over 40 tensors',
    async run() {
      const terms = Array.from({ length: 40 }, (_, i) => tf.fill([3], i + 1));
      const sum = tf.addN(terms);
      const values = Array.from(await sum.data());
      tf.dispose([...terms, sum]);
      const diff = maxAbsDiff(values, [820, 820, 820]);
      return { ok: diff === 0, value: diff, detail: `sum of 1..40 = ${values.join(', ')} (expected 820)` };
    },
  };
}

// Four word-pieces each, so every batch has one shape: GPU backends compile a shader per shape,
// which on SwiftShader costs seconds.
const SENTENCES: [string, number][] = [
  ['a wonderful moving film', 1], ['dull and too long', 0], ['the cast is superb', 1], ['i hated every minute', 0],
  ['a joy to watch', 1], ['a boring ugly mess', 0], ['sharp funny and warm', 1], ['the plot is nonsense', 0],
];
export const TRAINING_STEPS = 20;

/**
 * A randomly initialised BERT of tiny-bert's shape with a vocabulary of just the training words:
 * the embedding gradient then has a few dozen rows, not 30,522 (which costs seconds per step on
 * SwiftShader's WebGPU), while every op of a real training step still runs.
 */
async function smallVocabBert(tinyBert: ModelSource): Promise<ModelSource> {
  const words = [...new Set(SENTENCES.flatMap(([text]) => text.split(' ')))];
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...words];
  const config = { ...(await readBertConfig(tinyBert)), vocab_size: vocab.length };
  const files = modelFolderFiles({ config, tensors: initBertParameters(config, 11), vocabText: vocab.join('\n'), tokenizerConfig: { do_lower_case: true } });
  return new MemoryModelSource(new Map([...files].map(([name, chunks]) => [name, concat(chunks)])), 'small-vocab tiny BERT');
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/**
 * 20 AdamW steps through core's `fineTune` (dropout on, max-seq-mha head): the loss measured
 * without dropout must fall, and no step may leave tensors behind.
 */
function trainingSteps(): SpecCase {
  return {
    name: `training: ${TRAINING_STEPS} fineTune steps lower the loss without leaking tensors`,
    async run({ tinyBert }) {
      const labels: LabelSet = { problemType: 'single_label_classification', names: ['negative', 'positive'] };
      const data: Dataset = { file: 'spec', labels, examples: SENTENCES.map(([text, label], i) => ({ text, label, line: i + 1 })) };
      const { model, tokenizer } = await loadClassifier(await smallVocabBert(tinyBert), { head: { type: 'max-seq-mha', layers: 2 }, labels, seed: 3 });
      const opts = { batchSize: 4, maxLength: 16 };
      try {
        const before = (await evaluate(model, tokenizer, data, ['accuracy'], { ...opts, batchSize: 8 })).loss;
        const counts: number[] = [];
        await fineTune({
          model, tokenizer, train: data, metrics: ['accuracy'], mainMetric: 'accuracy',
          options: { ...DEFAULT_TRAIN_OPTIONS, ...opts, epochs: (TRAINING_STEPS * opts.batchSize) / data.examples.length, learningRate: 3e-3, warmupRatio: 0, seed: 1 },
          callbacks: { onStep: () => void counts.push(tf.memory().numTensors) },
        });
        const after = (await evaluate(model, tokenizer, data, ['accuracy'], { ...opts, batchSize: 8 })).loss;
        // The first step creates the optimizer's moments; from then on the count must not move.
        const leaked = counts.length > 1 ? (counts[counts.length - 1] - counts[1]) / (counts.length - 2) : NaN;
        const ok = counts.length === TRAINING_STEPS && after < 0.9 * before && leaked === 0;
        return {
          ok,
          value: after / before,
          detail: `${counts.length} steps: loss ${before.toFixed(4)} → ${after.toFixed(4)}; tensors leaked per step: ${leaked}`,
        };
      } finally {
        model.dispose();
      }
    },
  };
}

/** The whole spec, in the order it runs. */
export function backendSpecCases(settings: SpecSettings, headsFixtures: string[]): SpecCase[] {
  return [
    manyTermSum(), encoderGoldens(settings), ...headsFixtures.map((name) => headsFixture(name, settings)), trainingSteps(),
    ...mlmCases(settings),
    ...familyCases(settings),
  ];
}

export interface SpecResult extends SpecOutcome {
  name: string;
  ms: number;
}

/** Runs every case, catching failures so one broken case does not hide the others. */
export async function runBackendSpec(cases: SpecCase[], fixtures: SpecFixtures, onResult?: (r: SpecResult) => void): Promise<SpecResult[]> {
  const results: SpecResult[] = [];
  for (const c of cases) {
    const start = performance.now();
    let outcome: SpecOutcome;
    try {
      outcome = await c.run(fixtures);
    } catch (err) {
      outcome = { ok: false, detail: `threw: ${(err as Error).stack ?? err}` };
    }
    const result = { name: c.name, ...outcome, ms: Math.round(performance.now() - start) };
    results.push(result);
    onResult?.(result);
  }
  return results;
}
