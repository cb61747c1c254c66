import { clsVector, resolveHeadSpec, type Head, type HeadFactory } from '@maxpoolbert/core';
import { MultiheadAttention } from './shared/multihead-attention.js';
import { registerBuiltIn } from './shared/register.js';

/**
 * `mha` (the paper's MHA): one extra multi-head attention layer where the last layer's [CLS] is
 * the query and all last-layer tokens (padding masked) are keys and values.
 */
export const mhaHead: HeadFactory = (spec, config, rng): Head => {
  const resolved = resolveHeadSpec(spec, config, { usePooler: true, numHeads: 4 });
  const attention = new MultiheadAttention(config.hidden_size, resolved.numHeads, rng);
  return {
    spec: resolved,
    vector(out) {
      const last = out.hiddenStates[out.hiddenStates.length - 1];
      const query = clsVector(last);
      try {
        return attention.attendOne(query, last, out.mask);
      } finally {
        query.dispose();
      }
    },
    variables: () => attention.variables(),
    dispose: () => attention.dispose(),
  };
};

registerBuiltIn('mha', mhaHead);
