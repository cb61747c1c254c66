/**
 * Checkpoint I/O for BERT models in Hugging Face formats: safetensors (read and write), PyTorch
 * `pytorch_model.bin` zip checkpoints (read), and the mapping of checkpoint names onto the
 * canonical encoder parameter names.
 */
import { inputError } from '../errors.js';
import type { ModelSource } from '../io/model-source.js';
import type { HostTensor } from './named-tensor.js';
import { readSafetensors, readSafetensorsHeader } from './safetensors-read.js';
import { readTorchCheckpoint } from './torch-zip.js';

export * from './named-tensor.js';
export {
  DISK_DTYPE_SIZE,
  UNSUPPORTED_DISK_DTYPES,
  bfloat16ToFloat,
  decodeElements,
  halfToFloat,
  hostDTypeOf,
  isDiskDType,
  type DecodeElementsOptions,
  type DecodeElementsWhere,
  type DiskDType,
} from './dtypes.js';
export * from './safetensors-read.js';
export * from './safetensors-write.js';
export * from './torch-zip.js';
export * from './hf-names.js';

/** File names `loadCheckpoint` looks for, in order of preference. */
export const SAFETENSORS_FILE = 'model.safetensors';
export const TORCH_FILE = 'pytorch_model.bin';

export interface LoadedCheckpoint {
  /** The tensors under their checkpoint names (not normalised: see `matchParameters`). */
  tensors: Map<string, HostTensor>;
  /** Display path of the file that was read. */
  file: string;
  /** On-disk dtype per tensor, by safetensors names (F32, F16, BF16, I64...). */
  dtypes: Record<string, string>;
  format: 'safetensors' | 'pytorch';
}

/**
 * Reads a model folder's weights: `model.safetensors` when present, else `pytorch_model.bin`.
 * The safetensors file is read a tensor at a time through `readRange`; the .bin file is read
 * whole (its zip directory is at the end), then decoded a storage at a time.
 */
export async function loadCheckpoint(source: ModelSource): Promise<LoadedCheckpoint> {
  if (await source.has(SAFETENSORS_FILE)) {
    const header = await readSafetensorsHeader(source, SAFETENSORS_FILE);
    const tensors = await readSafetensors(source, SAFETENSORS_FILE, { header });
    const dtypes: Record<string, string> = {};
    for (const e of header.entries) dtypes[e.name] = e.dtype;
    return { tensors, file: header.file, dtypes, format: 'safetensors' };
  }
  if (await source.has(TORCH_FILE)) {
    const file = source.pathOf(TORCH_FILE);
    const { tensors, dtypes } = readTorchCheckpoint(await source.read(TORCH_FILE), file);
    return { tensors, file, dtypes, format: 'pytorch' };
  }

  const sharded = [`${SAFETENSORS_FILE}.index.json`, `${TORCH_FILE}.index.json`];
  for (const index of sharded) {
    if (await source.has(index)) {
      throw inputError(`found ${index}, but sharded checkpoints are not supported: expected a single ${SAFETENSORS_FILE} or ${TORCH_FILE}`, {
        file: source.location,
        fix: `re-save as one file in Python: model.save_pretrained(dir, max_shard_size="100GB")`,
      });
    }
  }
  const others = ['tf_model.h5', 'flax_model.msgpack', 'model.ckpt.index'];
  const found: string[] = [];
  for (const name of others) if (await source.has(name)) found.push(name);
  throw inputError(
    `no ${SAFETENSORS_FILE} or ${TORCH_FILE} in this folder${found.length ? ` (found ${found.join(', ')})` : ''}`,
    {
      file: source.location,
      fix: found.length
        ? `convert it in Python: transformers BertModel.from_pretrained(dir, ${found[0] === 'flax_model.msgpack' ? 'from_flax' : 'from_tf'}=True).save_pretrained(dir) writes ${SAFETENSORS_FILE}`
        : `download ${SAFETENSORS_FILE} (or ${TORCH_FILE}) from the model's Hugging Face repository, or write it with model.save_pretrained(dir)`,
    },
  );
}
