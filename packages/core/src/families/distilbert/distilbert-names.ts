/**
 * DistilBERT's parameter names ↔ the canonical (BERT) ones. Embeddings keep their names; a layer
 * is `transformer.layer.N.{attention.{q,k,v,out}_lin, sa_layer_norm, ffn.lin1, ffn.lin2,
 * output_layer_norm}` where BERT has `encoder.layer.N.{attention.self.*, attention.output.*,
 * intermediate.dense, output.*}`.
 */
const LAYER_PARTS: readonly [distil: string, canonical: string][] = [
  ['attention.q_lin.', 'attention.self.query.'],
  ['attention.k_lin.', 'attention.self.key.'],
  ['attention.v_lin.', 'attention.self.value.'],
  ['attention.out_lin.', 'attention.output.dense.'],
  ['sa_layer_norm.', 'attention.output.LayerNorm.'],
  ['ffn.lin1.', 'intermediate.dense.'],
  ['ffn.lin2.', 'output.dense.'],
  ['output_layer_norm.', 'output.LayerNorm.'],
];

function renameLayer(name: string, from: string, fromIndex: 0 | 1, to: string): string {
  const m = new RegExp(`^${from.replace(/\./g, '\\.')}(\\d+)\\.(.+)$`).exec(name);
  if (!m) return name;
  const part = LAYER_PARTS.find((p) => m[2]!.startsWith(p[fromIndex]));
  if (!part) return name;
  return `${to}${m[1]}.${part[1 - fromIndex]}${m[2]!.slice(part[fromIndex].length)}`;
}

/** `transformer.layer.0.attention.q_lin.weight` → `encoder.layer.0.attention.self.query.weight`; others unchanged. */
export function distilBertToCanonical(key: string): string {
  return renameLayer(key, 'transformer.layer.', 0, 'encoder.layer.');
}

/** The inverse of `distilBertToCanonical`. */
export function canonicalToDistilBert(name: string): string {
  return renameLayer(name, 'encoder.layer.', 1, 'transformer.layer.');
}
