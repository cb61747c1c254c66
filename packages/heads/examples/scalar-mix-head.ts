/**
 * Example: a third-party pooling head, registered exactly like the built-in ones.
 *
 * "scalar-mix" (as in ELMo): the sentence vector is a learned, softmax-weighted mix of the [CLS]
 * vector of every hidden state (embedding output included), scaled by a learned γ:
 *     v = γ · Σ_l softmax(w)_l · hs[l][:, 0]
 * Import this module once (it registers the head on import), then use it by name anywhere a
 * head type is accepted, e.g. `loadClassifier(source, { head: { type: 'scalar-mix' } })`. On the
 * command line, `--require ./scalar-mix-head.js` (compiled) loads it before the command runs, so
 * `maxpoolbert predict --require ./scalar-mix-head.js --model DIR ...` serves a model trained with it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { clsVector, registerHead, resolveHeadSpec, type Head, type HeadFactory } from '@maxpoolbert/core';

export const scalarMixHead: HeadFactory = (spec, config): Head => {
  // Shared defaults and validation (dropout from the config, pooler on unless asked otherwise).
  const resolved = resolveHeadSpec(spec, config, { usePooler: true });
  const layers = config.num_hidden_layers + 1;
  // Parameters are saved as head.<name> in model.safetensors: head.scalar_mix.weights, head.scalar_mix.gamma.
  const vars = new Map<string, tf.Variable>([
    ['scalar_mix.weights', tf.variable(tf.zeros([layers]))], // uniform mix to start
    ['scalar_mix.gamma', tf.variable(tf.ones([1]))],
  ]);
  return {
    spec: resolved,
    vector(out) {
      return tf.tidy(() => {
        const cls = tf.stack(out.hiddenStates.map(clsVector), 1); // [B, layers, H]
        const weights = tf.reshape(tf.softmax(vars.get('scalar_mix.weights')!), [1, layers, 1]);
        return tf.mul(tf.sum(tf.mul(cls, weights), 1), vars.get('scalar_mix.gamma')!) as tf.Tensor2D;
      });
    },
    variables: () => vars,
    dispose: () => vars.forEach((v) => v.dispose()),
  };
};

registerHead('scalar-mix', scalarMixHead);
