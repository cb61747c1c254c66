import type { BertConfig } from '../config/bert-config.js';
import { heads } from '../registry/heads.js';

/**
 * FLOP counts of a BERT sequence classifier, for achieved-GFLOP/s figures.
 *
 * Convention: only matrix products are counted, 2 FLOPs per multiply-add (an [m, k]·[k, n]
 * product is 2·m·k·n). Element-wise work (softmax, GELU, LayerNorm, bias adds, dropout,
 * embedding gathers) is left out: it is under 2 % of the matmul count for every preset at
 * T = 128, and it is not what a matmul ceiling measures. With N = B·T tokens, hidden H,
 * intermediate I, L layers, C labels:
 *
 *     per layer     8·N·H²       Q, K, V and output projections (4 × 2·N·H·H)
 *                 + 4·N·H·I      feed-forward up and down (2 × 2·N·H·I)
 *                 + 4·B·T²·H     attention scores Q·Kᵀ and probabilities·V (2 × 2·B·T·T·H)
 *     encoder       L × per layer
 *     pooler        2·B·H²       (heads that use the BERT pooler; every built-in head does by default)
 *     classifier    2·B·H·C
 *     head          cls, mean, max, max-cls: 0 (slices and element-wise max/mean)
 *                   mha, max-seq-mha: 4·B·H² (query and output projections of one query row)
 *                                   + 4·N·H² (key and value projections of every token)
 *                                   + 4·N·H  (scores and weighted sum of one query over T keys)
 *
 * A training step counts 3 × the forward: the backward pass of every product computes two
 * products of the same size (the gradients for both operands). The input gradient of the first
 * layer's projections is needed too, because the embeddings are trained. AdamW and clipping
 * are element-wise and not counted.
 */
export interface FlopCount {
  encoder: number;
  /** Pooler + dropout-free classifier: the tail every head shares. */
  tail: number;
  head: number;
  /** Whether `head` is known (a third-party head without a formula counts as 0). */
  headKnown: boolean;
  forward: number;
  /** 3 × forward. */
  trainStep: number;
}

/** FLOPs of the built-in heads' own layers (see the table above); by canonical head name. */
const HEAD_FLOPS: Record<string, (B: number, T: number, H: number) => number> = {
  cls: () => 0,
  mean: () => 0,
  max: () => 0,
  'max-cls': () => 0,
  mha: attentionHeadFlops,
  'max-seq-mha': attentionHeadFlops,
};

function attentionHeadFlops(B: number, T: number, H: number): number {
  const N = B * T;
  return 4 * B * H * H + 4 * N * H * H + 4 * N * H;
}

/** Matmul FLOPs of one transformer layer over a [B, T] batch. */
export function layerFlops(config: Pick<BertConfig, 'hidden_size' | 'intermediate_size'>, B: number, T: number): number {
  const H = config.hidden_size;
  const I = config.intermediate_size;
  const N = B * T;
  return 8 * N * H * H + 4 * N * H * I + 4 * B * T * T * H;
}

export interface FlopOptions {
  /** Head type (aliases allowed); default `cls`. */
  head?: string;
  /** Whether the head's vector goes through the BERT pooler; default true (every built-in head). */
  usePooler?: boolean;
  /** Classifier outputs; default 2. */
  numLabels?: number;
}

/** Matmul FLOPs of one forward pass (and one training step) of a classifier over [B, T]. */
export function classifierFlops(config: BertConfig, B: number, T: number, opts: FlopOptions = {}): FlopCount {
  if (!(Number.isInteger(B) && B >= 1 && Number.isInteger(T) && T >= 1)) throw new RangeError(`batch and sequence length must be integers >= 1, got ${B} and ${T}`);
  const H = config.hidden_size;
  const C = opts.numLabels ?? 2;
  const encoder = config.num_hidden_layers * layerFlops(config, B, T);
  const tail = (opts.usePooler ?? true ? 2 * B * H * H : 0) + 2 * B * H * C;
  const name = opts.head ?? 'cls';
  const canonical = heads.has(name) ? heads.resolve(name) : name;
  const formula = HEAD_FLOPS[canonical];
  const head = formula ? formula(B, T, H) : 0;
  const forward = encoder + tail + head;
  return { encoder, tail, head, headKnown: !!formula, forward, trainStep: 3 * forward };
}
