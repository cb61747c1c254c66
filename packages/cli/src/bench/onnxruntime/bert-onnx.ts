import { bertParameterShapes, MASK_PENALTY, type BertConfig, type HiddenAct, type HostTensor } from '@maxpoolbert/core';
import { packageVersion } from '../../versions.js';
import { GraphBuilder } from './graph-builder.js';
import { encodeOnnxModel, type OnnxModel } from './onnx-writer.js';

/**
 * Our BERT (core's BertEncoder + pooler + a Linear classifier) as an ONNX graph over the same
 * weights, so onnxruntime runs exactly the model our bench times. The graph has the shape of
 * a PyTorch export of Hugging Face's BertModel (MatMul + Add per Linear with the weight
 * transposed to [in, out], Reshape/Transpose into heads, Div by √d, additive mask, Softmax,
 * Div/Erf/Add/Mul/Mul for GELU): onnxruntime's graph optimiser recognises those patterns, so
 * at level "all" it fuses them as it would for a user's exported model. onnxruntime 1.30 makes
 * BiasGelu, FusedMatMul (QKᵀ with the 1/√d folded in) and FusedGemm (pooler + tanh) of them
 * (test/onnxruntime/ort-fusions.test.ts). Its in-session AttentionFusion only matches exports
 * of older operator sets, so attention stays MatMul/Softmax here, as it does for a user's
 * opset-17 export; a single com.microsoft.Attention node is what onnxruntime's offline
 * transformers optimiser would make, and is not what a plain session runs.
 */

/** ONNX operator set: 17 is the first with LayerNormalization. IR version 8 goes with it. */
export const BERT_ONNX_OPSET = 17;
const IR_VERSION = 8;

export interface BertOnnxOptions {
  /** A Linear classifier on the pooler output, PyTorch layout (weight [C, H]): adds the `logits` output [B, C]. */
  classifier?: { weight: Float32Array; bias: Float32Array };
  /** Also output every hidden state, `hidden_state_0` (embeddings) to `hidden_state_L`, [B, T, H]: for correctness checks. */
  hiddenStates?: boolean;
  /** Fixed batch and sequence sizes; by default both are symbolic ("batch", "sequence"). */
  batch?: number;
  seq?: number;
}

/** The model as ONNX bytes, for `InferenceSession.create`. */
export function buildBertOnnx(config: BertConfig, weights: Map<string, HostTensor>, opts: BertOnnxOptions = {}): Uint8Array {
  return encodeOnnxModel(bertOnnxModel(config, weights, opts));
}

/** [rows, cols] row-major → [cols, rows]: PyTorch's Linear weight [out, in] as MatMul's right operand. */
function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[row + c];
  }
  return out;
}

/** The graph as a typed description (see onnx-writer.ts), before encoding. */
export function bertOnnxModel(config: BertConfig, weights: Map<string, HostTensor>, opts: BertOnnxOptions = {}): OnnxModel {
  const H = config.hidden_size;
  const nh = config.num_attention_heads;
  const dh = H / nh;
  const shapes = bertParameterShapes(config);
  const b = new GraphBuilder();
  const B = opts.batch ?? 'batch';
  const T = opts.seq ?? 'sequence';

  const float32 = (name: string): HostTensor & { data: Float32Array } => {
    const w = weights.get(name);
    const shape = shapes.get(name);
    if (!w) throw new Error(`ONNX BERT: missing parameter ${name}`);
    if (!(w.data instanceof Float32Array) || w.shape.join() !== shape?.join()) {
      throw new Error(`ONNX BERT: ${name} must be float32 [${shape}], got ${w.dtype} [${w.shape}]`);
    }
    return w as HostTensor & { data: Float32Array };
  };
  const param = (name: string) => {
    const w = float32(name);
    return b.initializer(name, 'float32', w.shape, w.data);
  };
  const linearWith = (x: string, prefix: string, weight: Float32Array, bias: Float32Array, out: number, inp: number, name?: string) => {
    const weightT = b.initializer(`${prefix}.weight_transposed`, 'float32', [inp, out], transpose2d(weight, out, inp));
    const biasName = b.initializer(`${prefix}.bias`, 'float32', [out], bias);
    return b.op('Add', [b.op('MatMul', [x, weightT], { name: `${prefix}.matmul` }), biasName], { name: name ?? prefix });
  };
  const linear = (x: string, prefix: string, name?: string) => {
    const w = float32(`${prefix}.weight`);
    const [out, inp] = w.shape;
    return linearWith(x, prefix, w.data, float32(`${prefix}.bias`).data, out, inp, name);
  };
  const layerNorm = (x: string, prefix: string, name?: string) =>
    b.op('LayerNormalization', [x, param(`${prefix}.weight`), param(`${prefix}.bias`)], {
      name: name ?? prefix, attributes: { axis: { int: -1 }, epsilon: { float: config.layer_norm_eps } },
    });

  const ids = b.input({ name: 'input_ids', dtype: 'int64', shape: [B, T] });
  const mask = b.input({ name: 'attention_mask', dtype: 'int64', shape: [B, T] });
  const types = b.input({ name: 'token_type_ids', dtype: 'int64', shape: [B, T] });

  // Embeddings: word + token type, then the first T position rows (T read from the input's shape).
  const words = b.op('Gather', [param('embeddings.word_embeddings.weight'), ids], { name: 'embeddings.words' });
  const typeRows = b.op('Gather', [param('embeddings.token_type_embeddings.weight'), types], { name: 'embeddings.token_types' });
  const seqLen = b.op('Shape', [ids], { name: 'sequence_length', attributes: { start: { int: 1 }, end: { int: 2 } } });
  const positions = b.op('Slice', [param('embeddings.position_embeddings.weight'), b.int64([0]), seqLen, b.int64([0])], { name: 'embeddings.positions' });
  const summed = b.op('Add', [b.op('Add', [words, typeRows]), positions], { name: 'embeddings.sum' });
  let h = layerNorm(summed, 'embeddings.LayerNorm', 'hidden_state_0');
  const hiddenStates = [h];

  // (1 − mask) · MASK_PENALTY as [B, 1, 1, T]: broadcast over heads and query rows, as in BertEncoder.
  const maskF = b.op('Cast', [mask], { name: 'mask_float', attributes: { to: { int: 1 } } });
  const scoreBias = b.op('Unsqueeze', [b.op('Mul', [b.op('Sub', [b.float([1]), maskF]), b.float([MASK_PENALTY])]), b.int64([1, 2])], { name: 'score_bias' });

  const splitHeads = (x: string, perm: number[], name: string) =>
    b.op('Transpose', [b.op('Reshape', [x, b.int64([0, 0, nh, dh])])], { name, attributes: { perm: { ints: perm } } });
  for (let l = 0; l < config.num_hidden_layers; l++) {
    const p = `encoder.layer.${l}`;
    const q = splitHeads(linear(h, `${p}.attention.self.query`), [0, 2, 1, 3], `${p}.q_heads`); // [B, nh, T, dh]
    const kT = splitHeads(linear(h, `${p}.attention.self.key`), [0, 2, 3, 1], `${p}.k_heads_t`); // [B, nh, dh, T]
    const v = splitHeads(linear(h, `${p}.attention.self.value`), [0, 2, 1, 3], `${p}.v_heads`);
    const scores = b.op('Add', [b.op('Div', [b.op('MatMul', [q, kT]), b.float([Math.sqrt(dh)])]), scoreBias], { name: `${p}.scores` });
    const probs = b.op('Softmax', [scores], { name: `${p}.probs`, attributes: { axis: { int: -1 } } });
    const context = b.op('Reshape', [
      b.op('Transpose', [b.op('MatMul', [probs, v])], { attributes: { perm: { ints: [0, 2, 1, 3] } } }),
      b.int64([0, 0, H]),
    ], { name: `${p}.context` });
    const attnOut = linear(context, `${p}.attention.output.dense`);
    const h1 = layerNorm(b.op('Add', [attnOut, h]), `${p}.attention.output.LayerNorm`);
    const inter = activation(b, linear(h1, `${p}.intermediate.dense`), config.hidden_act, `${p}.intermediate.act`);
    h = layerNorm(b.op('Add', [linear(inter, `${p}.output.dense`), h1]), `${p}.output.LayerNorm`, `hidden_state_${l + 1}`);
    hiddenStates.push(h);
  }

  // Pooler: tanh(dense) of the first token of the last layer; then the classifier.
  const first = b.op('Gather', [h, b.int64([0], [])], { name: 'cls_token', attributes: { axis: { int: 1 } } });
  const pooled = b.op('Tanh', [linear(first, 'pooler.dense')], { name: 'pooler_output' });
  b.output(pooled, { dtype: 'float32', shape: [B, H] });
  if (opts.classifier) {
    const C = opts.classifier.bias.length;
    if (opts.classifier.weight.length !== C * H) throw new Error(`ONNX BERT: classifier.weight must be [${C}, ${H}]`);
    const logits = linearWith(pooled, 'classifier', opts.classifier.weight, opts.classifier.bias, C, H, 'logits');
    b.output(logits, { dtype: 'float32', shape: [B, C] });
  }
  if (opts.hiddenStates) for (const s of hiddenStates) b.output(s, { dtype: 'float32', shape: [B, T, H] });

  return {
    irVersion: IR_VERSION,
    opsetImports: [{ domain: '', version: BERT_ONNX_OPSET }],
    producerName: 'maxpoolbert',
    producerVersion: packageVersion('@maxpoolbert/cli'),
    graph: { name: 'bert', nodes: b.nodes, initializers: b.initializers, inputs: b.inputs, outputs: b.outputs },
  };
}

/**
 * BERT's activations as standard ONNX ops, in the forms PyTorch exports them (so onnxruntime's
 * GeluFusion / FastGeluFusion recognise them): exact GELU x·½(1 + erf(x/√2)) as Div, Erf, Add,
 * Mul, Mul rather than com.microsoft's Gelu, which keeps the file standard ONNX and leaves the
 * fusing to onnxruntime; the tanh approximation; ReLU.
 */
function activation(b: GraphBuilder, x: string, act: HiddenAct, name: string): string {
  switch (act) {
    case 'gelu': {
      const erf = b.op('Erf', [b.op('Div', [x, b.float([Math.SQRT2])])]);
      return b.op('Mul', [b.op('Mul', [x, b.op('Add', [erf, b.float([1])])]), b.float([0.5])], { name });
    }
    case 'gelu_new':
    case 'gelu_pytorch_tanh': {
      const cube = b.op('Mul', [b.op('Mul', [x, x]), x]);
      const inner = b.op('Mul', [b.op('Add', [x, b.op('Mul', [cube, b.float([0.044715])])]), b.float([Math.sqrt(2 / Math.PI)])]);
      return b.op('Mul', [b.op('Mul', [x, b.float([0.5])]), b.op('Add', [b.op('Tanh', [inner]), b.float([1])])], { name });
    }
    case 'relu':
      return b.op('Relu', [x], { name });
  }
}
