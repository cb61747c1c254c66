/**
 * Reader for `pytorch_model.bin` state dicts written by `torch.save` (PyTorch 1.6+ zip format; the
 * container is handled by torch-archive.ts). The pickle is interpreted by a restricted machine that
 * only understands the globals a state dict uses; nothing in the file is ever executed. Tensors are
 * then copied out of their storages one storage at a time.
 */
import { inputError } from '../errors.js';
import { DISK_DTYPE_SIZE, decodeElements, hostDTypeOf, type DiskDType } from './dtypes.js';
import { formatShape, numElements, type HostTensor } from './named-tensor.js';
import { pyTypeName, unpickle, type PyDict, type PyGlobal, type PyOpaque, type PyValue, type UnpickleHooks } from './pickle.js';
import { CONVERT_FIX, STATE_DICT_FIX, openTorchArchive } from './torch-archive.js';

/** A state dict read from a torch checkpoint. */
export interface TorchCheckpoint {
  tensors: Map<string, HostTensor>;
  /** On-disk dtype per tensor, by safetensors names (F32, F16, BF16, I64...). */
  dtypes: Record<string, string>;
  /** The archive folder inside the zip (`archive`, `pytorch_model`...). */
  archive: string;
}

const STORAGE_DTYPES: Readonly<Record<string, DiskDType>> = {
  FloatStorage: 'F32', HalfStorage: 'F16', BFloat16Storage: 'BF16', DoubleStorage: 'F64', LongStorage: 'I64',
  IntStorage: 'I32', ShortStorage: 'I16', CharStorage: 'I8', ByteStorage: 'U8', BoolStorage: 'BOOL',
  UntypedStorage: 'U8',
};
const UNSUPPORTED_STORAGES = new Set([
  'ComplexFloatStorage', 'ComplexDoubleStorage', 'QInt8Storage', 'QUInt8Storage', 'QInt32Storage', 'QUInt4x2Storage', 'QUInt2x4Storage',
]);
const TORCH_DTYPES: Readonly<Record<string, DiskDType>> = {
  float32: 'F32', float: 'F32', float16: 'F16', half: 'F16', bfloat16: 'BF16', float64: 'F64', double: 'F64',
  int64: 'I64', long: 'I64', int32: 'I32', int: 'I32', int16: 'I16', short: 'I16', int8: 'I8', uint8: 'U8',
  bool: 'BOOL', uint16: 'U16', uint32: 'U32', uint64: 'U64',
};
const UNSUPPORTED_TORCH_DTYPES = /^(complex\d*|cfloat|cdouble|chalf|float8_\w+|q(u)?int\w*|uint[1-7]|int[1-7])$/;
const FUNCTIONS = new Set([
  'collections.OrderedDict',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_tensor_v3',
  'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state',
  'torch._tensor._rebuild_from_type_v2',
  'torch.Tensor',
  'torch._tensor.Tensor',
  'torch.nn.parameter.Parameter',
]);

interface StorageTypeValue {
  name: string;
  dtype: DiskDType;
}
interface StorageRef {
  key: string;
  dtype: DiskDType;
  numel: number;
  location: string;
}
interface TensorRef {
  storage: StorageRef;
  dtype: DiskDType;
  offset: number;
  size: number[];
  stride: number[];
}

function isOpaque<T>(v: PyValue, tag: string): v is PyOpaque<T> {
  return v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'opaque' && v.tag === tag;
}
function isGlobal(v: PyValue): v is PyGlobal {
  return v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'global';
}
function isDict(v: PyValue): v is PyDict {
  return v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'dict';
}
function tupleItems(v: PyValue): readonly PyValue[] | undefined {
  return v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'tuple' ? v.items : undefined;
}

/** The pickle hooks that give a state dict its meaning, and reject everything else. */
function torchHooks(file: string, field: string): UnpickleHooks {
  const fail = (problem: string, fix = STATE_DICT_FIX) => inputError(problem, { file, field, fix });
  const storages = new Map<string, StorageRef>();

  const nonNegInt = (v: PyValue, what: string): number => {
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
    throw fail(`${what} must be a non-negative integer, found ${pyTypeName(v)} ${String(v)}`);
  };
  const intTuple = (v: PyValue, what: string): number[] => {
    const items = tupleItems(v);
    if (!items) throw fail(`${what} must be a tuple of integers, found ${pyTypeName(v)}`);
    return items.map((x, i) => nonNegInt(x, `${what}[${i}]`));
  };
  const storageArg = (v: PyValue): StorageRef => {
    if (!isOpaque<StorageRef>(v, 'storage')) throw fail(`tensor storage must be a persistent storage, found ${pyTypeName(v)}`);
    return v.value;
  };
  const tensor = (storage: StorageRef, dtype: DiskDType, offset: PyValue, size: PyValue, stride: PyValue): PyOpaque<TensorRef> => {
    const t: TensorRef = {
      storage,
      dtype,
      offset: nonNegInt(offset, 'storage_offset'),
      size: intTuple(size, 'size'),
      stride: intTuple(stride, 'stride'),
    };
    if (t.size.length !== t.stride.length) {
      throw fail(`size ${formatShape(t.size)} and stride ${formatShape(t.stride)} have different lengths`);
    }
    return { kind: 'opaque', tag: 'tensor', value: t };
  };
  const argCount = (fn: string, args: readonly PyValue[], min: number, max: number) => {
    if (args.length < min || args.length > max) throw fail(`${fn} called with ${args.length} arguments, expected ${min === max ? min : `${min}-${max}`}`);
  };

  const call = (callable: PyValue, args: readonly PyValue[], opcode: 'REDUCE' | 'NEWOBJ'): PyValue => {
    if (!isGlobal(callable)) throw fail(`${opcode} on a ${pyTypeName(callable)}: only state dicts of tensors can be read`);
    const fn = `${callable.module}.${callable.name}`;
    switch (fn) {
      case 'collections.OrderedDict':
        if (args.length !== 0) throw fail('OrderedDict with constructor arguments is not supported');
        return { kind: 'dict', entries: new Map() };
      case 'torch._utils._rebuild_tensor_v2': {
        // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        argCount(fn, args, 6, 7);
        const storage = storageArg(args[0]!);
        return tensor(storage, storage.dtype, args[1]!, args[2]!, args[3]!);
      }
      case 'torch._utils._rebuild_tensor_v3': {
        // (storage, storage_offset, size, stride, requires_grad, backward_hooks, dtype[, metadata])
        argCount(fn, args, 7, 8);
        const dtype = args[6]!;
        if (!isOpaque<DiskDType>(dtype, 'dtype')) throw fail(`${fn}: dtype must be a torch dtype, found ${pyTypeName(dtype)}`);
        return tensor(storageArg(args[0]!), dtype.value, args[1]!, args[2]!, args[3]!);
      }
      case 'torch._utils._rebuild_parameter':
      case 'torch._utils._rebuild_parameter_with_state': {
        // (data, requires_grad, backward_hooks[, state])
        argCount(fn, args, fn.endsWith('state') ? 4 : 3, fn.endsWith('state') ? 4 : 3);
        if (!isOpaque(args[0]!, 'tensor')) throw fail(`${fn}: data must be a tensor, found ${pyTypeName(args[0]!)}`);
        return args[0]!;
      }
      case 'torch._tensor._rebuild_from_type_v2': {
        // (func, new_type, args, state): a tensor (sub)class with Python state
        argCount(fn, args, 4, 4);
        const newType = args[1]!;
        const inner = tupleItems(args[2]!);
        const typeName = isGlobal(newType) ? `${newType.module}.${newType.name}` : '';
        if (!['torch.Tensor', 'torch._tensor.Tensor', 'torch.nn.parameter.Parameter'].includes(typeName) || !inner) {
          throw fail(`${fn} for type ${typeName || pyTypeName(newType)} is not supported: only state dicts of tensors can be read`);
        }
        const result = call(args[0]!, inner, 'REDUCE');
        if (!isOpaque(result, 'tensor')) throw fail(`${fn} did not produce a tensor`);
        return result;
      }
      default:
        throw fail(`${opcode} of ${fn} is not supported: only state dicts of tensors can be read`);
    }
  };

  return {
    resolveGlobal(module, name) {
      const full = `${module}.${name}`;
      if (module === 'torch' || module === 'torch.storage' || module === 'torch.cuda') {
        const dtype = STORAGE_DTYPES[name];
        if (dtype) return { kind: 'opaque', tag: 'storage-type', value: { name: full, dtype } satisfies StorageTypeValue };
        if (UNSUPPORTED_STORAGES.has(name)) {
          throw fail(`storage type ${full} is not supported (complex and quantized tensors cannot be loaded)`, CONVERT_FIX);
        }
      }
      if (module === 'torch') {
        const dtype = TORCH_DTYPES[name];
        if (dtype) return { kind: 'opaque', tag: 'dtype', value: dtype };
        if (UNSUPPORTED_TORCH_DTYPES.test(name)) {
          throw fail(`tensor dtype ${full} is not supported (only float and integer tensors can be loaded)`, CONVERT_FIX);
        }
      }
      if (FUNCTIONS.has(full)) return { kind: 'global', module, name };
      throw inputError(`unsupported pickle global ${full}: only state dicts of tensors can be read; nothing in the file was executed`, {
        file,
        field,
        fix: 'load only checkpoints saved as torch.save(model.state_dict()); if you trust the file, convert it to safetensors in Python',
      });
    },

    call,

    persistentLoad(pid) {
      const items = tupleItems(pid);
      if (!items || items.length !== 5 || items[0] !== 'storage') {
        throw fail(`unsupported persistent id ${pyTypeName(pid)}: expected ('storage', type, key, location, numel)`);
      }
      const [, type, key, location, numel] = items;
      if (!isOpaque<StorageTypeValue>(type!, 'storage-type')) throw fail(`persistent id storage type is a ${pyTypeName(type!)}`);
      if (typeof key !== 'string') throw fail(`persistent id storage key is a ${pyTypeName(key!)}, not a string`);
      if (typeof location !== 'string') throw fail(`persistent id location is a ${pyTypeName(location!)}, not a string`);
      const ref: StorageRef = { key, dtype: type.value.dtype, numel: nonNegInt(numel!, 'storage numel'), location };
      const seen = storages.get(key);
      if (seen) {
        if (seen.dtype !== ref.dtype || seen.numel !== ref.numel) {
          throw fail(`storage ${key} is referenced with different types (${seen.dtype}x${seen.numel} and ${ref.dtype}x${ref.numel})`);
        }
        return { kind: 'opaque', tag: 'storage', value: seen };
      }
      storages.set(key, ref);
      return { kind: 'opaque', tag: 'storage', value: ref };
    },

    build(obj, state) {
      if (isDict(obj)) {
        obj.state = state; // e.g. a state dict's `_metadata` attribute
        return obj;
      }
      throw fail(`BUILD (setting state) on a ${pyTypeName(obj)} is not supported: only state dicts of tensors can be read`);
    },
  };
}

/** Copies a tensor out of its storage bytes, following storage offset and strides. */
function materialise(raw: Uint8Array, t: TensorRef, file: string, name: string, mayAlias: boolean): HostTensor {
  const where = { file, field: name };
  const es = DISK_DTYPE_SIZE[t.dtype];
  const dtype = hostDTypeOf(t.dtype);
  const n = numElements(t.size);
  if (n === 0) return { dtype, shape: [...t.size], data: dtype === 'float32' ? new Float32Array(0) : new Int32Array(0) };
  const available = Math.floor(raw.byteLength / es);
  let last = t.offset;
  for (let d = 0; d < t.size.length; d++) last += (t.size[d]! - 1) * t.stride[d]!;
  if (last >= available) {
    throw inputError(
      `size ${formatShape(t.size)} with stride ${formatShape(t.stride)} at storage offset ${t.offset} reads element ${last} of storage ${t.storage.key}, which holds ${available} ${t.dtype} elements`,
      { ...where, fix: 'the checkpoint is corrupt; save it again' },
    );
  }
  let contiguous = true;
  for (let d = t.size.length - 1, expect = 1; d >= 0; d--) {
    if (t.size[d] !== 1 && t.stride[d] !== expect) contiguous = false;
    expect *= t.size[d]!;
  }
  if (contiguous) {
    const data = decodeElements(raw.subarray(t.offset * es, (t.offset + n) * es), t.dtype, where, { mayAlias });
    return { dtype, shape: [...t.size], data };
  }
  // Non-contiguous (e.g. a transposed view): decode the span it covers, then gather by strides.
  const span = decodeElements(raw.subarray(t.offset * es, (last + 1) * es), t.dtype, where, { mayAlias: true });
  const out = dtype === 'float32' ? new Float32Array(n) : new Int32Array(n);
  const rank = t.size.length;
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let i = 0; i < n; i++) {
    out[i] = span[src]!;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      src += t.stride[d]!;
      if (idx[d]! < t.size[d]!) break;
      src -= t.stride[d]! * t.size[d]!;
      idx[d] = 0;
    }
  }
  return { dtype, shape: [...t.size], data: out };
}

/**
 * Reads a `torch.save` zip checkpoint holding a state dict (name -> tensor), returning the tensors
 * (float types as float32, integer types as int32) and their on-disk dtypes.
 */
export function readTorchCheckpoint(bytes: Uint8Array, fileLabel: string): TorchCheckpoint {
  const file = fileLabel;
  const { name: archive, pickleField: pklField, pickle, readEntry } = openTorchArchive(bytes, file);
  const root = unpickle(pickle, torchHooks(file, pklField), { file, field: pklField });
  if (!isDict(root)) {
    throw inputError(`the pickle holds a ${pyTypeName(root)}, not a state dict (a dict of tensors)`, { file, field: pklField, fix: STATE_DICT_FIX });
  }

  const names: string[] = [];
  const refs: TensorRef[] = [];
  const groups = new Map<string, number[]>();
  for (const [key, value] of root.entries) {
    if (typeof key !== 'string') throw inputError(`state dict key ${String(key)} is a ${pyTypeName(key)}, not a string`, { file, field: pklField, fix: STATE_DICT_FIX });
    if (!isOpaque<TensorRef>(value, 'tensor')) {
      const nested = isDict(value) ? ` (a nested dict: is the state dict under "${key}"?)` : '';
      throw inputError(`value is a ${pyTypeName(value)}, not a tensor${nested}`, { file, field: key, fix: STATE_DICT_FIX });
    }
    const i = names.length;
    names.push(key);
    refs.push(value.value);
    const group = groups.get(value.value.storage.key);
    if (group) group.push(i);
    else groups.set(value.value.storage.key, [i]);
  }

  const results = new Array<HostTensor>(names.length);
  for (const [key, members] of groups) {
    const storage = refs[members[0]!]!.storage;
    const entryName = `${archive}/data/${key}`;
    const raw = readEntry(entryName);
    if (!raw) {
      throw inputError(`storage entry ${entryName} is missing from the zip (used by ${members.map((m) => names[m]).join(', ')})`, {
        file,
        field: names[members[0]!]!,
        fix: 'the checkpoint is truncated or corrupt; save it again',
      });
    }
    const expected = storage.numel * DISK_DTYPE_SIZE[storage.dtype];
    if (raw.byteLength !== expected) {
      throw inputError(
        `storage ${entryName} holds ${raw.byteLength} bytes but the pickle declares ${storage.numel} ${storage.dtype} elements (${expected} bytes)`,
        { file, field: names[members[0]!]!, fix: 'the checkpoint is corrupt; save it again' },
      );
    }
    members.forEach((m, j) => {
      results[m] = materialise(raw, refs[m]!, file, names[m]!, j === members.length - 1);
    });
  }

  const tensors = new Map<string, HostTensor>();
  const dtypes: Record<string, string> = {};
  names.forEach((name, i) => {
    tensors.set(name, results[i]!);
    dtypes[name] = refs[i]!.dtype;
  });
  return { tensors, dtypes, archive };
}

/** Reads a `torch.save` zip checkpoint holding a state dict, as name -> host tensor. */
export function readTorchStateDict(bytes: Uint8Array, fileLabel: string): Map<string, HostTensor> {
  return readTorchCheckpoint(bytes, fileLabel).tensors;
}
