import * as tf from '@tensorflow/tfjs-core';
import { encoderCheckpointKey } from '../families/index.js';
import type { Head } from '../registry/heads.js';
import type { SeededRng } from '../random/seeded-rng.js';
import type { HostTensor } from '../weights/named-tensor.js';
import { dense, dropout } from './layers.js';
import { numLabels, type LabelSet } from './labels.js';
import type { Batch, Encoder, VariableMap } from './types.js';

/**
 * The checkpoint-name prefixes of the three parts (as `MaxPoolBertForSequenceClassification`).
 * `variables()` always names the encoder's `bert.` + canonical name, whatever the family; saved
 * files use the family's own keys (`roberta.…`, `distilbert.transformer.…`, see `exportWeights`).
 */
export const ENCODER_PREFIX = 'bert.';
export const HEAD_PREFIX = 'head.';
export const CLASSIFIER_PREFIX = 'classifier.';

/**
 * BERT + a pooling head + the shared classifier: head vector → [BERT pooler] → dropout →
 * linear → logits. Every head shares this tail, so a custom head only says how to pool.
 */
export class SequenceClassifier {
  constructor(
    readonly encoder: Encoder,
    readonly head: Head,
    readonly labels: LabelSet,
    /** `classifier.weight` [numLabels, H] and `classifier.bias` [numLabels]. */
    private readonly classifier: { weight: tf.Variable; bias: tf.Variable },
  ) {
    const H = encoder.config.hidden_size;
    const n = numLabels(labels);
    if (classifier.weight.shape.join() !== [n, H].join() || classifier.bias.shape.join() !== [n].join()) {
      throw new Error(`classifier weights must be [${n}, ${H}] and [${n}], got [${classifier.weight.shape}] and [${classifier.bias.shape}]`);
    }
  }

  /** Logits [B, numLabels]; dropout (encoder and classifier) only when training. */
  logits(batch: Batch, opts: { training: boolean; rng?: SeededRng }): tf.Tensor2D {
    const seed = opts.rng ? () => opts.rng!.nextSeed() : undefined;
    return tf.tidy(() => {
      const out = this.encoder.forward(batch, opts);
      let v = this.head.vector(out, opts);
      if (this.head.spec.usePooler) v = this.encoder.pool(v);
      v = dropout(v, this.head.spec.dropout, opts.training, seed);
      return dense(v, this.classifier.weight, this.classifier.bias);
    });
  }

  /** Every trainable parameter under its checkpoint name (`bert.*`, `head.*`, `classifier.*`). */
  variables(): VariableMap {
    const all: VariableMap = new Map();
    for (const [name, v] of this.encoder.variables()) all.set(ENCODER_PREFIX + name, v);
    for (const [name, v] of this.head.variables()) all.set(HEAD_PREFIX + name, v);
    all.set(`${CLASSIFIER_PREFIX}weight`, this.classifier.weight);
    all.set(`${CLASSIFIER_PREFIX}bias`, this.classifier.bias);
    return all;
  }

  /** Number of parameters of the head alone (what it adds over plain [CLS] pooling). */
  headParameterCount(): number {
    let n = 0;
    for (const v of this.head.variables().values()) n += v.size;
    return n;
  }

  /**
   * Current weights on the host, under checkpoint names, for saving: the encoder's under its
   * family's Hugging Face keys (with fixed tables such as sinusoidal positions), then head and
   * classifier.
   */
  async exportWeights(): Promise<Map<string, HostTensor>> {
    const out = new Map<string, HostTensor>();
    const config = this.encoder.config;
    for (const [name, t] of await this.encoder.exportWeights()) out.set(encoderCheckpointKey(config, name), t);
    for (const [name, v] of this.variables()) {
      if (name.startsWith(ENCODER_PREFIX)) continue; // written above
      out.set(name, { dtype: 'float32', shape: v.shape.slice(), data: (await v.data()) as Float32Array });
    }
    return out;
  }

  dispose(): void {
    this.encoder.dispose();
    this.head.dispose();
    this.classifier.weight.dispose();
    this.classifier.bias.dispose();
  }
}
