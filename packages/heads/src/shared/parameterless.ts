import type * as tf from '@tensorflow/tfjs-core';
import type { EncoderOutput, Head, HeadSpec } from '@maxpoolbert/core';

/** A head with no parameters of its own: just a pooling function. */
export function parameterlessHead(spec: Required<HeadSpec>, pool: (out: EncoderOutput) => tf.Tensor2D): Head {
  return {
    spec,
    vector: (out) => pool(out),
    variables: () => new Map(),
    dispose: () => undefined,
  };
}
