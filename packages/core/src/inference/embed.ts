import * as tf from '@tensorflow/tfjs-core';
import { disposeBatch, toBatch } from '../model/batch.js';
import type { Encoder } from '../model/types.js';
import { poolTokens, type TokenPooling } from '../model/pooling.js';
import type { Tokenizer } from '../tokenizer/index.js';
import type { ClassifyInput } from './classify.js';

/** How token vectors become one vector: over real tokens only, or 'none' (every real token). */
export type EmbedPooling = TokenPooling | 'none';
export const EMBED_POOLINGS: readonly EmbedPooling[] = ['cls', 'mean', 'max', 'none'];

export interface EmbedSettings {
  pooling: EmbedPooling;
  /** Every hidden state (embedding output first) instead of the last layer only. */
  allLayers: boolean;
  /** Truncate every input to this many tokens. */
  maxLength: number;
}

/**
 * One input's result, with the keys the CLI's `embed` writes:
 *   default                      {embedding: [hidden]}          last layer, pooled
 *   allLayers                    {embedding: [layer][hidden]}   every hidden state, pooled
 *   pooling 'none'               {embedding: [token][hidden]}   last layer, real tokens only
 *   allLayers, pooling 'none'    {hidden_states: [layer][token][hidden]}
 */
export type Embedding = { embedding: number[] | number[][] } | { hidden_states: number[][][] };

/** An encoder with its tokenizer: `loadBertModel`'s result, or a loaded classifier's encoder. */
export interface EncoderWithTokenizer {
  encoder: Encoder;
  tokenizer: Tokenizer;
}

/**
 * Embeds one batch of inputs in a single forward pass; one result per input, in order. Only
 * real tokens are reported and pooling ignores padding, so an input's result does not depend on
 * the batch it was in. Every tensor is freed before it returns.
 */
export async function embedBatch(model: EncoderWithTokenizer, inputs: readonly ClassifyInput[], s: EmbedSettings): Promise<Embedding[]> {
  const encodings = inputs.map((r) => model.tokenizer.encode(r.text, r.textPair, { maxLength: Math.min(r.maxLength ?? s.maxLength, s.maxLength) }));
  const lengths = encodings.map((e) => e.inputIds.length);
  const batch = toBatch(encodings, model.tokenizer.padId);
  const out = model.encoder.forward(batch, { training: false });
  try {
    const layers = s.allLayers ? out.hiddenStates : out.hiddenStates.slice(-1);
    if (s.pooling === 'none') {
      const perLayer = (await Promise.all(layers.map((h) => h.array()))) as number[][][][];
      return inputs.map((_, b) => {
        const tokens = perLayer.map((layer) => layer[b].slice(0, lengths[b]));
        return s.allLayers ? { hidden_states: tokens } : { embedding: tokens[0] };
      });
    }
    const pooled = await Promise.all(
      layers.map(async (h) => {
        const v = poolTokens(h, out.mask, s.pooling as TokenPooling);
        try {
          return (await v.array()) as number[][];
        } finally {
          v.dispose();
        }
      }),
    );
    return inputs.map((_, b) => ({ embedding: s.allLayers ? pooled.map((layer) => layer[b]) : pooled[0][b] }));
  } finally {
    tf.dispose([...out.hiddenStates, out.mask]);
    disposeBatch(batch);
  }
}
