import * as tf from '@tensorflow/tfjs-core';
import { clsVector, resolveHeadSpec, type HeadFactory } from '@maxpoolbert/core';
import { elementwiseMax, lastLayers } from './shared/layers.js';
import { parameterlessHead } from './shared/parameterless.js';
import { registerBuiltIn } from './shared/register.js';

/** `max-cls` (the paper's Max_CLS): element-wise max of the [CLS] vector over the last k layers. */
export const maxClsHead: HeadFactory = (spec, config) => {
  const resolved = resolveHeadSpec(spec, config, { usePooler: true, layers: 3 });
  return parameterlessHead(resolved, (out) => tf.tidy(() => elementwiseMax(lastLayers(out, resolved.layers).map(clsVector))));
};

registerBuiltIn('max-cls', maxClsHead);
