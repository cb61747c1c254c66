import * as tf from '@tensorflow/tfjs-core';
import { clsVector, resolveHeadSpec, type Head, type HeadFactory } from '@maxpoolbert/core';
import { elementwiseMax, lastLayers } from './shared/layers.js';
import { MultiheadAttention } from './shared/multihead-attention.js';
import { registerBuiltIn } from './shared/register.js';

/**
 * `max-seq-mha` (the paper's Max_Seq + MHA: the full MaxPoolBERT, alias `maxpoolbert`):
 * S = element-wise max over the last k layers at every token position [B, T, H], then the `mha`
 * step with the pooled [CLS], S[:, 0], as query and S as keys and values.
 */
export const maxSeqMhaHead: HeadFactory = (spec, config, rng): Head => {
  const resolved = resolveHeadSpec(spec, config, { usePooler: true, layers: 3, numHeads: 4 });
  const attention = new MultiheadAttention(config.hidden_size, resolved.numHeads, rng);
  return {
    spec: resolved,
    vector(out) {
      return tf.tidy(() => {
        const pooled = elementwiseMax(lastLayers(out, resolved.layers));
        return attention.attendOne(clsVector(pooled), pooled, out.mask);
      });
    },
    variables: () => attention.variables(),
    dispose: () => attention.dispose(),
  };
};

registerBuiltIn('max-seq-mha', maxSeqMhaHead, ['maxpoolbert']);
