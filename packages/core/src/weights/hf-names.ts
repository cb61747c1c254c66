/**
 * Mapping between checkpoint tensor names and the canonical encoder parameter names: Hugging Face
 * `BertModel` names without a prefix (`embeddings.word_embeddings.weight`,
 * `encoder.layer.0.attention.self.query.weight`, ..., `pooler.dense.weight`).
 */
import { inputError } from '../errors.js';
import { formatShape, sameShape, type HostTensor } from './named-tensor.js';

/** Buffers some checkpoints carry next to the parameters; never loaded. */
export const IGNORED_BUFFERS: readonly string[] = ['embeddings.position_ids', 'embeddings.token_type_ids'];
/** Key prefixes of our classification checkpoints' own parts, kept exactly as they are. */
export const KEPT_PREFIXES: readonly string[] = ['head.', 'classifier.'];
/**
 * The masked-LM head of `BertForMaskedLM` / `BertForPreTraining`. Set aside by the encoder
 * (listed in `ignored`) but handed on in `MatchResult.rest`, so the masked-LM head can load it.
 */
export const MLM_HEAD_PREFIX = 'cls.predictions.';

export interface NormalizedKey {
  /** The canonical name (meaningless when `ignored`). */
  name: string;
  /** Pre-training heads (`cls.*`) and buffers such as `embeddings.position_ids`. */
  ignored: boolean;
}

/**
 * Canonical name of one checkpoint key: a leading `bert.` is stripped, TF-era LayerNorm
 * `gamma`/`beta` become `weight`/`bias`; `cls.*` and known buffers are ignored; `head.*` and
 * `classifier.*` are kept unchanged.
 */
export function normalizeCheckpointKey(key: string): NormalizedKey {
  if (KEPT_PREFIXES.some((p) => key.startsWith(p))) return { name: key, ignored: false };
  if (key.startsWith('cls.')) return { name: key, ignored: true };
  const name = key.startsWith('bert.') ? key.slice('bert.'.length) : key;
  if (IGNORED_BUFFERS.includes(name)) return { name, ignored: true };
  return { name: legacyLayerNormName(name), ignored: false };
}

/** TF-era LayerNorm names (`…LayerNorm.gamma` / `.beta`) as PyTorch's (`.weight` / `.bias`); others unchanged. */
export function legacyLayerNormName(name: string): string {
  const parts = name.split('.');
  if (parts.length < 2) return name;
  const last = parts[parts.length - 1];
  const owner = parts[parts.length - 2]!;
  if ((last === 'gamma' || last === 'beta') && /norm|^ln(_|$)/i.test(owner)) {
    parts[parts.length - 1] = last === 'gamma' ? 'weight' : 'bias';
    return parts.join('.');
  }
  return name;
}

export interface NormalizedCheckpoint {
  /** Tensors under their canonical names, in checkpoint order. */
  tensors: Map<string, HostTensor>;
  /** Original keys that were set aside (`cls.*`, buffers). */
  ignored: string[];
  /** Canonical name -> original key, for keys that were renamed. */
  renamed: Map<string, string>;
  /** The set-aside `cls.predictions.*` tensors (LayerNorm gamma/beta renamed), for the masked-LM head. */
  mlmHead: Map<string, HostTensor>;
}

/** Applies `normalizeCheckpointKey` to every key; two keys mapping to one name is an error. */
export function normalizeCheckpointKeys(loaded: Map<string, HostTensor>, opts: { file?: string } = {}): NormalizedCheckpoint {
  const tensors = new Map<string, HostTensor>();
  const ignored: string[] = [];
  const renamed = new Map<string, string>();
  const origin = new Map<string, string>();
  const mlmHead = new Map<string, HostTensor>();
  for (const [key, tensor] of loaded) {
    const { name, ignored: skip } = normalizeCheckpointKey(key);
    if (skip) {
      ignored.push(key);
      if (key.startsWith(MLM_HEAD_PREFIX)) {
        const headName = legacyLayerNormName(key);
        if (mlmHead.has(headName)) {
          throw inputError(`checkpoint holds "${headName}" twice (once under its TF-era gamma/beta name)`, { file: opts.file, field: key, fix: 'keep only one of the two keys' });
        }
        mlmHead.set(headName, tensor);
      }
      continue;
    }
    const previous = origin.get(name);
    if (previous !== undefined) {
      throw inputError(`checkpoint keys "${previous}" and "${key}" both map to "${name}"`, {
        file: opts.file,
        field: key,
        fix: 'the checkpoint holds two copies of one parameter; keep only one (with or without the "bert." prefix)',
      });
    }
    origin.set(name, key);
    if (name !== key) renamed.set(name, key);
    tensors.set(name, tensor);
  }
  return { tensors, ignored, renamed, mlmHead };
}

export interface MatchOptions {
  /** Checkpoint file, for messages. */
  file: string;
  /** Expected parameters that may be absent (they will be newly initialised), e.g. a new head. */
  allowMissing?: (name: string) => boolean;
}

export interface MatchResult {
  /** The expected parameters found in the checkpoint, under canonical names, in `expected` order. */
  tensors: Map<string, HostTensor>;
  /** Expected parameters absent from the checkpoint that `allowMissing` accepted. */
  missing: string[];
  /** Checkpoint tensors (canonical names) that no expected parameter uses. */
  unexpected: string[];
  /**
   * The `unexpected` tensors themselves (e.g. `head.*`, `classifier.*`), under canonical names,
   * plus the `cls.predictions.*` ones (which are `ignored`, not unexpected: see MLM_HEAD_PREFIX).
   */
  rest: Map<string, HostTensor>;
  /** Original checkpoint keys set aside by normalisation (`cls.*`, buffers). */
  ignored: string[];
}

/**
 * Matches a checkpoint (raw or already normalised keys) against the expected parameter shapes.
 * Missing parameters that are not allowed to be missing are reported together in one error, and
 * shape mismatches name the key and both shapes.
 */
export function matchParameters(
  expected: Map<string, readonly number[]>,
  loaded: Map<string, HostTensor>,
  opts: MatchOptions,
): MatchResult {
  const { file } = opts;
  const normalized = normalizeCheckpointKeys(loaded, { file });
  const tensors = new Map<string, HostTensor>();
  const missing: string[] = [];
  const notAllowed: string[] = [];
  const mismatches: string[] = [];
  const mismatchNames: string[] = [];
  for (const [name, shape] of expected) {
    const t = normalized.tensors.get(name);
    if (!t) {
      (opts.allowMissing?.(name) ? missing : notAllowed).push(name);
      continue;
    }
    if (!sameShape(t.shape, shape)) {
      const original = normalized.renamed.get(name);
      mismatchNames.push(name);
      mismatches.push(`${name}${original ? ` (checkpoint key ${original})` : ''}: expected ${formatShape(shape)}, found ${formatShape(t.shape)}`);
      continue;
    }
    tensors.set(name, t);
  }
  if (notAllowed.length) {
    const shown = notAllowed.length > 20 ? [...notAllowed.slice(0, 20), `... and ${notAllowed.length - 20} more`] : notAllowed;
    throw inputError(`checkpoint is missing ${notAllowed.length} parameter${notAllowed.length === 1 ? '' : 's'}: ${shown.join(', ')}`, {
      file,
      field: notAllowed.length === 1 ? notAllowed[0] : undefined,
      fix: 'is this a BERT checkpoint? expected Hugging Face BertModel names such as embeddings.word_embeddings.weight (optionally prefixed with "bert."), and a config.json that matches it',
    });
  }
  if (mismatches.length) {
    throw inputError(`shape mismatch: ${mismatches.join('; ')}`, {
      file,
      field: mismatchNames.length === 1 ? mismatchNames[0] : undefined,
      fix: 'config.json does not match the checkpoint (hidden_size, intermediate_size, vocab_size, max_position_embeddings...)',
    });
  }
  const rest = new Map<string, HostTensor>();
  for (const [name, t] of normalized.tensors) if (!expected.has(name)) rest.set(name, t);
  const unexpected = [...rest.keys()];
  for (const [name, t] of normalized.mlmHead) rest.set(name, t);
  return { tensors, missing, unexpected, rest, ignored: normalized.ignored };
}
