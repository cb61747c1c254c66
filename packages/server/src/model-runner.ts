import { embedBatch, maxInputTokens, predict, trainedMaxLength, type ClassifierWithTokenizer, type ClassifyInput, type Embedding, type Prediction, type TokenPooling } from '@maxpoolbert/core';
import { DynamicBatcher } from './batcher.js';
import type { ServerMetrics } from './metrics.js';
import type { ServerLimits } from './server-options.js';

/** One input of a request, as the batcher queues it. */
export type WorkItem =
  | { kind: 'classify'; input: ClassifyInput }
  | { kind: 'embed'; pooling: TokenPooling; input: ClassifyInput };

export type WorkResult = Prediction | Embedding;

/**
 * The model behind the routes: every input goes through one dynamic batcher, so concurrent
 * requests share forward passes (classify and embed inputs never share a batch: they run
 * different outputs, and embed inputs only with the same pooling).
 */
export class ModelRunner {
  readonly batcher: DynamicBatcher<WorkItem, WorkResult>;
  readonly maxLength: number;

  constructor(readonly classifier: ClassifierWithTokenizer, limits: ServerLimits, metrics: ServerMetrics) {
    const config = classifier.model.encoder.config;
    this.maxLength = limits.maxLength ?? trainedMaxLength(config) ?? maxInputTokens(config);
    this.batcher = new DynamicBatcher<WorkItem, WorkResult>({
      maxBatch: limits.maxBatch,
      maxWaitMs: limits.maxWaitMs,
      maxQueue: limits.maxQueue,
      keyOf: (w) => (w.kind === 'embed' ? `embed:${w.pooling}` : 'classify'),
      // Token count decides the padding; tokenizing here costs ~1 % of the forward pass.
      lengthOf: (w) => classifier.tokenizer.encode(w.input.text, w.input.textPair, { maxLength: this.maxLength }).inputIds.length,
      run: (items) => this.run(items),
      onBatch: (size, seconds) => {
        const endpoint = 'batch';
        metrics.batchSize.observe({ endpoint }, size);
        metrics.batchSeconds.observe({ endpoint }, seconds);
      },
    });
  }

  /** A batch is all classify or all embed with one pooling (the batcher's key). */
  private async run(items: WorkItem[]): Promise<WorkResult[]> {
    const inputs = items.map((w) => w.input);
    const first = items[0];
    if (first.kind === 'classify') return predict(this.classifier, inputs, { maxLength: this.maxLength, batchSize: inputs.length });
    const { model, tokenizer } = this.classifier;
    return embedBatch({ encoder: model.encoder, tokenizer }, inputs, { pooling: first.pooling, allLayers: false, maxLength: this.maxLength });
  }

  classify(inputs: ClassifyInput[]): Promise<Prediction[]> {
    return this.batcher.submit(inputs.map((input) => ({ kind: 'classify' as const, input }))) as Promise<Prediction[]>;
  }

  embed(inputs: ClassifyInput[], pooling: TokenPooling): Promise<Embedding[]> {
    return this.batcher.submit(inputs.map((input) => ({ kind: 'embed' as const, pooling, input }))) as Promise<Embedding[]>;
  }
}
