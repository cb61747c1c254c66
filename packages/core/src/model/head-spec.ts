import type { BertConfig } from '../config/bert-config.js';
import { inputError } from '../errors.js';
import type { HeadSpec } from '../registry/heads.js';

/** `maxpoolbert_head` as written in config.json (snake_case, like the rest of that file). */
export interface HeadSpecJson {
  type: string;
  layers: number;
  num_heads: number;
  use_pooler: boolean;
  dropout: number;
}

export function headSpecToJson(spec: Required<HeadSpec>): HeadSpecJson {
  return { type: spec.type, layers: spec.layers, num_heads: spec.numHeads, use_pooler: spec.usePooler, dropout: spec.dropout };
}

/** Reads `maxpoolbert_head` from a config.json, checking each field's type. */
export function headSpecFromJson(json: unknown, file: string): HeadSpec {
  const field = 'maxpoolbert_head';
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw inputError('must be an object like {"type": "max-seq-mha", "layers": 3, "num_heads": 4}', { file, field });
  }
  const raw = json as Record<string, unknown>;
  if (typeof raw.type !== 'string' || !raw.type) throw inputError('"type" must be a head name', { file, field });
  const spec: HeadSpec = { type: raw.type };
  const int = (key: string) => {
    const v = raw[key];
    if (v === undefined || v === null) return undefined;
    if (!Number.isInteger(v) || (v as number) < 1) throw inputError(`"${key}" must be an integer >= 1, got ${JSON.stringify(v)}`, { file, field });
    return v as number;
  };
  spec.layers = int('layers');
  spec.numHeads = int('num_heads');
  if (raw.use_pooler !== undefined && raw.use_pooler !== null) {
    if (typeof raw.use_pooler !== 'boolean') throw inputError('"use_pooler" must be true or false', { file, field });
    spec.usePooler = raw.use_pooler;
  }
  if (raw.dropout !== undefined && raw.dropout !== null) {
    if (typeof raw.dropout !== 'number' || !(raw.dropout >= 0 && raw.dropout < 1)) throw inputError('"dropout" must be a number in [0, 1)', { file, field });
    spec.dropout = raw.dropout;
  }
  return spec;
}

/**
 * Fills a head spec's defaults — the paper's: k = 3, 4 attention heads; the pooler on unless
 * the head says otherwise; dropout = classifier_dropout, else hidden_dropout_prob — and checks
 * them against the encoder, so every head reports errors the same way. `layers` and `numHeads`
 * are validated only for heads that use them (those that pass a default for them).
 */
export function resolveHeadSpec(
  spec: HeadSpec,
  config: BertConfig,
  defaults: { usePooler: boolean; layers?: number; numHeads?: number },
): Required<HeadSpec> {
  const resolved: Required<HeadSpec> = {
    type: spec.type,
    layers: spec.layers ?? defaults.layers ?? 1,
    numHeads: spec.numHeads ?? defaults.numHeads ?? 4,
    usePooler: spec.usePooler ?? defaults.usePooler,
    dropout: spec.dropout ?? config.classifier_dropout ?? config.hidden_dropout_prob,
  };
  const L = config.num_hidden_layers;
  if (defaults.layers !== undefined && (!Number.isInteger(resolved.layers) || resolved.layers < 1 || resolved.layers > L)) {
    throw inputError(`head "${spec.type}": layers (k) must be between 1 and the model's ${L} layers, got ${resolved.layers}`, {
      field: 'layers', fix: `pass a k of at most ${L}`,
    });
  }
  const H = config.hidden_size;
  if (defaults.numHeads !== undefined && (!Number.isInteger(resolved.numHeads) || resolved.numHeads < 1 || H % resolved.numHeads !== 0)) {
    throw inputError(`head "${spec.type}": num_heads ${resolved.numHeads} does not divide hidden_size ${H}`, {
      field: 'num_heads', fix: `use a divisor of ${H}, e.g. 4`,
    });
  }
  if (!(resolved.dropout >= 0 && resolved.dropout < 1)) {
    throw inputError(`head "${spec.type}": dropout must be in [0, 1), got ${resolved.dropout}`, { field: 'dropout' });
  }
  return resolved;
}
