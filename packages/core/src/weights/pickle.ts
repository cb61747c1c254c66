/**
 * A restricted pickle reader: a small stack machine over the opcodes `torch.save` emits for a
 * state dict (protocol 2, plus the protocol 4 framing/memo opcodes). It never imports or calls
 * anything: GLOBAL, REDUCE, NEWOBJ, BUILD and BINPERSID are handed to caller-supplied hooks,
 * which decide what (if anything) each means and reject everything else.
 */
import { inputError } from '../errors.js';

export type PyKey = string | number | bigint | boolean | null;
export type PyValue = PyKey | Uint8Array | PyTuple | PyList | PyDict | PyGlobal | PyOpaque;

export interface PyTuple {
  readonly kind: 'tuple';
  readonly items: readonly PyValue[];
}
export interface PyList {
  readonly kind: 'list';
  readonly items: PyValue[];
}
export interface PyDict {
  readonly kind: 'dict';
  readonly entries: Map<PyKey, PyValue>;
  /** Attribute state set by BUILD (e.g. a state dict's `_metadata`), kept but not interpreted. */
  state?: PyValue;
}
/** A module-level name as named by GLOBAL / STACK_GLOBAL, after the hooks accepted it. */
export interface PyGlobal {
  readonly kind: 'global';
  readonly module: string;
  readonly name: string;
}
/** Anything the hooks build (tensors, storages, dtypes...). */
export interface PyOpaque<T = unknown> {
  readonly kind: 'opaque';
  readonly tag: string;
  readonly value: T;
}

export interface UnpickleHooks {
  /** GLOBAL / STACK_GLOBAL. Must throw for every name that is not allowed. */
  resolveGlobal(module: string, name: string): PyValue;
  /** REDUCE (`callable(*args)`) and NEWOBJ (`cls.__new__(cls, *args)`). Must throw when not allowed. */
  call(callable: PyValue, args: readonly PyValue[], opcode: 'REDUCE' | 'NEWOBJ'): PyValue;
  /** BINPERSID. */
  persistentLoad(pid: PyValue): PyValue;
  /** BUILD (`obj.__setstate__(state)`); the default keeps a dict's state and rejects the rest. */
  build?(obj: PyValue, state: PyValue): PyValue;
}

export interface UnpickleWhere {
  file: string;
  field?: string;
}

/** Short description of a value's Python type, for messages. */
export function pyTypeName(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'string') return 'str';
  if (v instanceof Uint8Array) return 'bytes';
  if (v.kind === 'global') return `${v.module}.${v.name}`;
  if (v.kind === 'opaque') return v.tag;
  return v.kind;
}

const OP = {
  MARK: 0x28, STOP: 0x2e, POP: 0x30, POP_MARK: 0x31, DUP: 0x32, BINFLOAT: 0x47, BININT: 0x4a, BININT1: 0x4b,
  BININT2: 0x4d, NONE: 0x4e, BINPERSID: 0x51, REDUCE: 0x52, BINUNICODE: 0x58, EMPTY_LIST: 0x5d, APPEND: 0x61,
  BUILD: 0x62, GLOBAL: 0x63, DICT: 0x64, APPENDS: 0x65, BINGET: 0x68, LONG_BINGET: 0x6a, LIST: 0x6c,
  BINPUT: 0x71, LONG_BINPUT: 0x72, SETITEM: 0x73, TUPLE: 0x74, SETITEMS: 0x75, EMPTY_DICT: 0x7d,
  EMPTY_TUPLE: 0x29, BINBYTES: 0x42, SHORT_BINBYTES: 0x43, PROTO: 0x80, NEWOBJ: 0x81, TUPLE1: 0x85,
  TUPLE2: 0x86, TUPLE3: 0x87, NEWTRUE: 0x88, NEWFALSE: 0x89, LONG1: 0x8a, LONG4: 0x8b,
  SHORT_BINUNICODE: 0x8c, BINUNICODE8: 0x8d, BINBYTES8: 0x8e, STACK_GLOBAL: 0x93, MEMOIZE: 0x94, FRAME: 0x95,
} as const;

function isKey(v: PyValue): v is PyKey {
  return v === null || typeof v !== 'object';
}

/** Two's-complement little-endian integer (LONG1 / LONG4) as a number when safe, else a bigint. */
function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  if (bytes[bytes.length - 1]! & 0x80) v -= 1n << BigInt(8 * bytes.length);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Runs the pickle in `bytes` and returns the object STOP leaves on the stack. */
export function unpickle(bytes: Uint8Array, hooks: UnpickleHooks, where: UnpickleWhere): PyValue {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let pos = 0;
  let opStart = 0;
  let stack: PyValue[] = [];
  const metastack: PyValue[][] = [];
  const memo = new Map<number, PyValue>();

  const fail = (problem: string) =>
    inputError(`${problem} (at byte ${opStart} of the pickle)`, {
      file: where.file,
      field: where.field,
      fix: 'the checkpoint is corrupt or was not written by torch.save; re-save it or convert it to safetensors',
    });
  const need = (n: number) => {
    if (n < 0 || pos + n > bytes.length) throw fail(`truncated pickle: needs ${n} more bytes, ${bytes.length - pos} left`);
  };
  const u8 = () => (need(1), bytes[pos++]!);
  const u16 = () => (need(2), (pos += 2), dv.getUint16(pos - 2, true));
  const u32 = () => (need(4), (pos += 4), dv.getUint32(pos - 4, true));
  const i32 = () => (need(4), (pos += 4), dv.getInt32(pos - 4, true));
  const u64 = () => {
    need(8);
    const v = dv.getUint32(pos + 4, true) * 2 ** 32 + dv.getUint32(pos, true);
    pos += 8;
    if (!Number.isSafeInteger(v)) throw fail('length field too large');
    return v;
  };
  const take = (n: number) => (need(n), (pos += n), bytes.subarray(pos - n, pos));
  const text = (n: number) => {
    const raw = take(n);
    try {
      return utf8.decode(raw);
    } catch {
      throw fail('string is not valid UTF-8');
    }
  };
  const line = () => {
    const nl = bytes.indexOf(0x0a, pos);
    if (nl < 0) throw fail('truncated pickle: GLOBAL name has no newline');
    const s = text(nl - pos);
    pos++;
    return s;
  };
  const pop = (): PyValue => {
    if (stack.length === 0) throw fail('stack underflow');
    return stack.pop()!;
  };
  const top = (): PyValue => {
    if (stack.length === 0) throw fail('stack underflow');
    return stack[stack.length - 1]!;
  };
  const popMark = (): PyValue[] => {
    const items = stack;
    const prev = metastack.pop();
    if (!prev) throw fail('no MARK on the stack');
    stack = prev;
    return items;
  };
  const memoGet = (i: number): PyValue => {
    if (!memo.has(i)) throw fail(`memo entry ${i} is not defined`);
    return memo.get(i)!;
  };
  const asDict = (v: PyValue): PyDict => {
    if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'dict') return v;
    throw fail(`SETITEM(S) on a ${pyTypeName(v)}, not a dict`);
  };
  const asList = (v: PyValue): PyList => {
    if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'list') return v;
    throw fail(`APPEND(S) on a ${pyTypeName(v)}, not a list`);
  };
  const setItem = (d: PyDict, k: PyValue, v: PyValue) => {
    if (!isKey(k)) throw fail(`dict key of type ${pyTypeName(k)} is not supported`);
    d.entries.set(k, v);
  };
  const asTuple = (v: PyValue, what: string): readonly PyValue[] => {
    if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'tuple') return v.items;
    throw fail(`${what} arguments must be a tuple, found ${pyTypeName(v)}`);
  };
  const tuple = (items: PyValue[]): PyTuple => ({ kind: 'tuple', items });

  for (;;) {
    opStart = pos;
    if (pos >= bytes.length) throw fail('pickle ends without STOP');
    const op = bytes[pos++]!;
    switch (op) {
      case OP.PROTO: {
        const v = u8();
        if (v > 5) throw fail(`unsupported pickle protocol ${v}`);
        break;
      }
      case OP.FRAME:
        u64();
        break;
      case OP.STOP:
        return pop();
      case OP.MARK:
        metastack.push(stack);
        stack = [];
        break;
      case OP.POP:
        if (stack.length) stack.pop();
        else popMark();
        break;
      case OP.POP_MARK:
        popMark();
        break;
      case OP.DUP:
        stack.push(top());
        break;
      case OP.EMPTY_DICT:
        stack.push({ kind: 'dict', entries: new Map() });
        break;
      case OP.EMPTY_LIST:
        stack.push({ kind: 'list', items: [] });
        break;
      case OP.EMPTY_TUPLE:
        stack.push(tuple([]));
        break;
      case OP.DICT: {
        const items = popMark();
        if (items.length % 2) throw fail('DICT with an odd number of items');
        const d: PyDict = { kind: 'dict', entries: new Map() };
        for (let i = 0; i < items.length; i += 2) setItem(d, items[i]!, items[i + 1]!);
        stack.push(d);
        break;
      }
      case OP.LIST: {
        const items = popMark(); // before `stack.push`: popMark replaces `stack`
        stack.push({ kind: 'list', items });
        break;
      }
      case OP.BINUNICODE:
        stack.push(text(u32()));
        break;
      case OP.SHORT_BINUNICODE:
        stack.push(text(u8()));
        break;
      case OP.BINUNICODE8:
        stack.push(text(u64()));
        break;
      case OP.SHORT_BINBYTES:
        stack.push(take(u8()).slice());
        break;
      case OP.BINBYTES:
        stack.push(take(u32()).slice());
        break;
      case OP.BINBYTES8:
        stack.push(take(u64()).slice());
        break;
      case OP.BININT:
        stack.push(i32());
        break;
      case OP.BININT1:
        stack.push(u8());
        break;
      case OP.BININT2:
        stack.push(u16());
        break;
      case OP.LONG1:
        stack.push(decodeLong(take(u8())));
        break;
      case OP.LONG4: {
        const n = i32();
        if (n < 0) throw fail('LONG4 with a negative length');
        stack.push(decodeLong(take(n)));
        break;
      }
      case OP.BINFLOAT:
        need(8);
        stack.push(dv.getFloat64(pos, false));
        pos += 8;
        break;
      case OP.NONE:
        stack.push(null);
        break;
      case OP.NEWTRUE:
        stack.push(true);
        break;
      case OP.NEWFALSE:
        stack.push(false);
        break;
      case OP.TUPLE: {
        const items = popMark(); // before `stack.push`: popMark replaces `stack`
        stack.push(tuple(items));
        break;
      }
      case OP.TUPLE1: {
        const a = pop();
        stack.push(tuple([a]));
        break;
      }
      case OP.TUPLE2: {
        const b = pop();
        const a = pop();
        stack.push(tuple([a, b]));
        break;
      }
      case OP.TUPLE3: {
        const c = pop();
        const b = pop();
        const a = pop();
        stack.push(tuple([a, b, c]));
        break;
      }
      case OP.GLOBAL: {
        const module = line();
        const name = line();
        stack.push(hooks.resolveGlobal(module, name));
        break;
      }
      case OP.STACK_GLOBAL: {
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw fail('STACK_GLOBAL needs two strings');
        stack.push(hooks.resolveGlobal(module, name));
        break;
      }
      case OP.REDUCE: {
        const args = asTuple(pop(), 'REDUCE');
        const fn = pop();
        stack.push(hooks.call(fn, args, 'REDUCE'));
        break;
      }
      case OP.NEWOBJ: {
        const args = asTuple(pop(), 'NEWOBJ');
        const cls = pop();
        stack.push(hooks.call(cls, args, 'NEWOBJ'));
        break;
      }
      case OP.BUILD: {
        const state = pop();
        const obj = pop();
        if (hooks.build) {
          stack.push(hooks.build(obj, state));
        } else {
          const d = asDict(obj);
          d.state = state;
          stack.push(d);
        }
        break;
      }
      case OP.BINPERSID:
        stack.push(hooks.persistentLoad(pop()));
        break;
      case OP.BINPUT:
        memo.set(u8(), top());
        break;
      case OP.LONG_BINPUT:
        memo.set(u32(), top());
        break;
      case OP.MEMOIZE:
        memo.set(memo.size, top());
        break;
      case OP.BINGET:
        stack.push(memoGet(u8()));
        break;
      case OP.LONG_BINGET:
        stack.push(memoGet(u32()));
        break;
      case OP.SETITEM: {
        const v = pop();
        const k = pop();
        setItem(asDict(top()), k, v);
        break;
      }
      case OP.SETITEMS: {
        const items = popMark();
        if (items.length % 2) throw fail('SETITEMS with an odd number of items');
        const d = asDict(top());
        for (let i = 0; i < items.length; i += 2) setItem(d, items[i]!, items[i + 1]!);
        break;
      }
      case OP.APPEND: {
        const v = pop();
        asList(top()).items.push(v);
        break;
      }
      case OP.APPENDS: {
        const items = popMark();
        const list = asList(top()).items;
        for (const v of items) list.push(v);
        break;
      }
      default: {
        const ch = op >= 0x20 && op < 0x7f ? ` ('${String.fromCharCode(op)}')` : '';
        throw fail(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')}${ch}: only state dicts of tensors can be read`);
      }
    }
  }
}
