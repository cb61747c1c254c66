// The pre-training loop on a tiny in-memory masked LM (JS CPU backend, deterministic): the
// validation loss falls, a run resumed from any checkpoint ends bit-identical to the
// uninterrupted one, the abort signal stops it, and no tensor is leaked.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {
  buildMaskedLm, DEFAULT_PRETRAIN_OPTIONS, ensureKernels, evaluateMaskedLm, initBertParameters, lineByLine, maskingOptionsFor, maskValidation, initMaskedLmHead, parseBertConfig, prepareMlmData, pretrain,
  type HostTensor, type MaskedLanguageModel, type OptimizerSnapshot, type PretrainOptions, type PretrainState,
} from '@maxpoolbert/core';
import { patternedSentences, sentences, wpTokenizer } from './helpers';

tf.env().set('IS_TEST', true);
beforeAll(async () => {
  await tf.setBackend('cpu');
  ensureKernels('cpu');
  tf.enableProdMode();
});

const config = parseBertConfig({
  model_type: 'bert', vocab_size: wpTokenizer.vocabSize, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2,
  intermediate_size: 32, max_position_embeddings: 32, type_vocab_size: 2, hidden_act: 'gelu',
  hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1, layer_norm_eps: 1e-12, initializer_range: 0.02,
});
const build = (seed = 3): MaskedLanguageModel => buildMaskedLm(config, initBertParameters(config, seed), initMaskedLmHead(config, seed));
const data = prepareMlmData(wpTokenizer, {
  lines: sentences(60, 9).map((text, i) => ({ text, line: i + 1 })), validationSplit: 0.1, splitSeed: 0, maxLength: 16, lineByLine: false,
});
const options = (o: Partial<PretrainOptions> = {}): PretrainOptions => ({
  ...DEFAULT_PRETRAIN_OPTIONS, epochs: 2, batchSize: 8, learningRate: 5e-3, warmupRatio: 0.1, maxLength: 16, seed: 5, evalBatchSize: 16, ...o,
});
const copyWeights = async (m: MaskedLanguageModel) => new Map([...(await m.exportWeights())].map(([k, t]) => [k, { ...t, data: Float32Array.from(t.data) }]));
const setWeights = (m: MaskedLanguageModel, w: Map<string, HostTensor>) => {
  for (const [name, v] of m.variables()) tf.tidy(() => v.assign(tf.tensor(w.get(name)!.data, v.shape, 'float32')));
};
const sameBits = (a: Map<string, HostTensor>, b: Map<string, HostTensor>) =>
  a.size === b.size && [...a].every(([k, t]) => Buffer.from(t.data.buffer).equals(Buffer.from(b.get(k)!.data.buffer)));
const withoutTimes = (s: PretrainState) => ({ ...s, elapsedMs: 0, history: s.history.map((h) => ({ ...h, elapsedMs: 0 })) });

it('lowers the validation loss, and reports perplexity = exp(loss) over the same masked tokens', async () => {
  // Four sentences over and over: context tells the masked word, far below the unigram loss.
  const patterned = prepareMlmData(wpTokenizer, {
    lines: patternedSentences(60, 4).map((text, i) => ({ text, line: i + 1 })), validationSplit: 0.1, splitSeed: 0, maxLength: 16, lineByLine: false,
  });
  expect(patterned.train.length).toBeGreaterThanOrEqual(32);
  const model = build();
  const untrained = await evaluateMaskedLm(model, maskValidation(patterned.validation, maskingOptionsFor(wpTokenizer, DEFAULT_PRETRAIN_OPTIONS), 16));
  expect(untrained.loss).toBeCloseTo(Math.log(wpTokenizer.vocabSize), 1); // random init: uniform over the vocabulary
  const before = tf.memory().numTensors;
  const steps: number[] = [];
  const state = await pretrain({
    model, tokenizer: wpTokenizer, train: patterned.train, validation: patterned.validation, options: options({ epochs: 4, evalEvery: 5, learningRate: 2e-2, warmupRatio: 0 }),
    callbacks: { onStep: (p) => void steps.push(p.step) },
  });
  expect(tf.memory().numTensors).toBe(before); // nothing leaked by the loop
  const total = Math.ceil(patterned.train.length / 8) * 4;
  expect(steps).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  expect(state).toMatchObject({ step: total, totalSteps: total, finished: true });
  const [first, last] = [state.history[0]!, state.history[state.history.length - 1]!];
  expect(state.history.every((h) => h.maskedTokens === first.maskedTokens && h.maskedTokens > 5)).toBe(true);
  for (const h of state.history) expect(h.perplexity).toBeCloseTo(Math.exp(h.loss), 6);
  expect(last.step).toBe(total);
  expect(first.maskedTokens).toBe(untrained.maskedTokens); // the same fixed validation masks
  expect(last.loss).toBeLessThan(untrained.loss - 0.3);
  expect(last.loss).toBeLessThan(first.loss);
  expect(state.losses).toHaveLength(total);
  model.dispose();
});

it('a run resumed from a mid-run checkpoint ends bit-identical to the uninterrupted run', async () => {
  const o = options({ evalEvery: 3, gradientAccumulation: 2 });
  const saved: { state: PretrainState; optimizer: OptimizerSnapshot; weights: Map<string, HostTensor> }[] = [];
  const reference = build();
  const full = await pretrain({
    model: reference, tokenizer: wpTokenizer, train: data.train, validation: data.validation, options: o,
    callbacks: { onCheckpoint: async (s, optimizer) => void saved.push({ state: structuredClone(s), optimizer, weights: await copyWeights(reference) }) },
  });
  const expected = await copyWeights(reference);
  reference.dispose();
  const mid = saved[Math.floor(saved.length / 2)]!;
  expect(mid.state.step).toBeGreaterThan(0);
  expect(mid.state.batchInEpoch).toBeGreaterThan(0); // mid-epoch: the epoch's order and masks must be redone exactly

  const resumed = build(99); // other initial weights: all must come from the checkpoint
  setWeights(resumed, mid.weights);
  const state = await pretrain({ model: resumed, tokenizer: wpTokenizer, train: data.train, validation: data.validation, options: o, resume: { state: structuredClone(mid.state), optimizer: mid.optimizer } });
  expect(sameBits(await copyWeights(resumed), expected)).toBe(true);
  expect(withoutTimes(state)).toEqual(withoutTimes(full));
  resumed.dispose();
});

it('a step whose batch masks no token moves nothing and is not an optimizer step', async () => {
  // One-word lines, batch 1: [CLS] w [SEP] masks its one word 15 % of the time.
  const words = lineByLine(wpTokenizer, ['cat', 'dog', 'mat', 'good', 'bad', 'sat'].map((text, i) => ({ text, line: i + 1 })), 8);
  const model = build();
  const moved: boolean[] = [];
  let last = await copyWeights(model);
  const state = await pretrain({
    model, tokenizer: wpTokenizer, train: words, options: options({ batchSize: 1, epochs: 3, warmupRatio: 0 }),
    callbacks: {
      onStep: async (p) => {
        const now = await copyWeights(model);
        moved.push(!sameBits(now, last));
        last = now;
        expect(Number.isNaN(p.loss)).toBe(p.maskedTokens === 0);
      },
    },
  });
  const skipped = state.losses.map((l) => l === null);
  expect(skipped.some(Boolean) && !skipped.every(Boolean)).toBe(true);
  expect(moved).toEqual(skipped.map((s) => !s));
  expect(state.optimizerSteps).toBe(skipped.filter((s) => !s).length);
  model.dispose();
});

it('stops after the step in progress when aborted', async () => {
  const model = build();
  const controller = new AbortController();
  const state = await pretrain({
    model, tokenizer: wpTokenizer, train: data.train, options: options(), signal: controller.signal,
    callbacks: { onStep: (p) => (p.step === 3 ? controller.abort() : undefined) },
  });
  expect(state).toMatchObject({ step: 3, finished: false });
  model.dispose();
});

it('refuses bad options and a tokenizer without [MASK] in one line', async () => {
  const model = build();
  await expect(pretrain({ model, tokenizer: wpTokenizer, train: data.train, options: options({ mlmProbability: 1 }) })).rejects.toThrow(/mlmProbability must be in \(0, 1\), got 1/);
  await expect(pretrain({ model, tokenizer: { ...wpTokenizer, encode: wpTokenizer.encode, convertIdsToTokens: wpTokenizer.convertIdsToTokens, clsId: 2, sepId: 3, padId: 0, vocabSize: 28, maskId: undefined }, train: data.train, options: options() }))
    .rejects.toThrow(/no \[MASK\] token/);
  const bpe = { kind: 'byte-level-bpe', encode: wpTokenizer.encode, convertIdsToTokens: wpTokenizer.convertIdsToTokens, clsId: 2, sepId: 3, padId: 0, vocabSize: 28, maskId: 4 };
  expect(() => maskingOptionsFor(bpe, { mlmProbability: 0.15, wholeWordMask: true })).toThrow(/whole-word masking needs a WordPiece tokenizer .* byte-level-bpe: leave out --whole-word-mask/);
  expect(maskingOptionsFor(bpe, { mlmProbability: 0.15, wholeWordMask: false }).maskId).toBe(4);
  model.dispose();
});
