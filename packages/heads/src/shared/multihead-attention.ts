import * as tf from '@tensorflow/tfjs-core';
import { dense, type SeededRng, type VariableMap } from '@maxpoolbert/core';

/**
 * One multi-head attention layer with exactly the maths and parameter names of PyTorch's
 * `nn.MultiheadAttention(H, numHeads, batch_first=True)` (no attention dropout, PyTorch's
 * default): q, k, v projections packed in `in_proj_weight` [3H, H] (rows q, k, v) and
 * `in_proj_bias` [3H], then `out_proj`. Padding keys are masked as `key_padding_mask` does.
 */
export class MultiheadAttention {
  private readonly vars: VariableMap;

  constructor(private readonly hidden: number, private readonly numHeads: number, rng: SeededRng) {
    const H = hidden;
    // PyTorch's _reset_parameters: xavier_uniform_ on in_proj_weight (fan_in H, fan_out 3H),
    // zero biases; out_proj.weight keeps nn.Linear's kaiming_uniform(a=√5) = U(±1/√H).
    const xavier = Math.sqrt(6 / (H + 3 * H));
    const uniform = (n: number, bound: number) => Float32Array.from({ length: n }, () => (2 * rng.next() - 1) * bound);
    // tf.variable shares its initial tensor's data; disposing that tensor keeps counts exact and
    // lets dispose() free the data (otherwise every head made leaked its four initial tensors).
    const variable = (initial: tf.Tensor) => {
      const v = tf.variable(initial);
      initial.dispose();
      return v;
    };
    this.vars = new Map([
      ['attention.in_proj_weight', variable(tf.tensor2d(uniform(3 * H * H, xavier), [3 * H, H]))],
      ['attention.in_proj_bias', variable(tf.zeros([3 * H]))],
      ['attention.out_proj.weight', variable(tf.tensor2d(uniform(H * H, 1 / Math.sqrt(H)), [H, H]))],
      ['attention.out_proj.bias', variable(tf.zeros([H]))],
    ]);
  }

  variables(): VariableMap {
    return this.vars;
  }

  /**
   * Attention of one query per row over all tokens: query [B, H], keys = values [B, T, H],
   * mask [B, T] (1 = real token). Returns the attention output at the query, [B, H].
   */
  attendOne(query: tf.Tensor2D, keysValues: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
    const H = this.hidden;
    const nh = this.numHeads;
    const dh = H / nh;
    const [B, T] = mask.shape;
    const w = this.vars.get('attention.in_proj_weight')!;
    const b = this.vars.get('attention.in_proj_bias')!;
    return tf.tidy(() => {
      const [wq, wk, wv] = tf.split(w, 3, 0);
      const [bq, bk, bv] = tf.split(b, 3, 0);
      const flat = tf.reshape(keysValues, [B * T, H]) as tf.Tensor2D;
      const q = tf.reshape(dense(query, wq, bq), [B, nh, 1, dh]);
      const k = tf.transpose(tf.reshape(dense(flat, wk, bk), [B, T, nh, dh]), [0, 2, 1, 3]);
      const v = tf.transpose(tf.reshape(dense(flat, wv, bv), [B, T, nh, dh]), [0, 2, 1, 3]);
      const scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)); // [B, nh, 1, T]
      // Padding keys are replaced, not offset, so nothing overflows in half precision.
      const real = tf.reshape(tf.greater(mask, 0), [B, 1, 1, T]);
      const masked = tf.where(tf.broadcastTo(real, scores.shape), scores, tf.fill(scores.shape, -1e9));
      const context = tf.reshape(tf.matMul(tf.softmax(masked), v), [B, H]) as tf.Tensor2D; // heads concatenated
      return dense(context, this.vars.get('attention.out_proj.weight')!, this.vars.get('attention.out_proj.bias')!);
    });
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
  }
}
