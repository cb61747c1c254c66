/**
 * Builds pickle byte streams opcode by opcode (protocol 2, as torch.save writes them), for tests
 * that need pickles the Python fixture generator does not make (broken or hostile ones).
 */
export class PickleBuilder {
  private readonly bytes: number[] = [];

  raw(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }
  op(ch: string): this {
    return this.raw(ch.charCodeAt(0));
  }
  proto(v = 2): this {
    return this.raw(0x80, v);
  }
  global(module: string, name: string): this {
    return this.op('c').text(`${module}\n${name}\n`);
  }
  /** STACK_GLOBAL (protocol 4) via two SHORT_BINUNICODE strings. */
  stackGlobal(module: string, name: string): this {
    return this.shortStr(module).shortStr(name).raw(0x93);
  }
  str(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.op('X').raw(b.length & 0xff, (b.length >> 8) & 0xff, (b.length >> 16) & 0xff, b.length >>> 24).raw(...b);
  }
  shortStr(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.raw(0x8c, b.length).raw(...b);
  }
  int(n: number): this {
    if (n >= 0 && n < 256) return this.op('K').raw(n);
    if (n >= 0 && n < 65536) return this.op('M').raw(n & 0xff, n >> 8);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, n, true);
    return this.op('J').raw(...b);
  }
  mark(): this {
    return this.op('(');
  }
  tuple(): this {
    return this.op('t');
  }
  emptyTuple(): this {
    return this.op(')');
  }
  reduce(): this {
    return this.op('R');
  }
  stop(): this {
    return this.op('.');
  }
  private text(s: string): this {
    for (const c of new TextEncoder().encode(s)) this.bytes.push(c);
    return this;
  }
  build(): Uint8Array {
    return new Uint8Array(this.bytes);
  }
}

export interface TensorSpec {
  name: string;
  storageType?: string;
  key: string;
  numel: number;
  offset?: number;
  size: number[];
  stride?: number[];
  location?: string;
}

function rowMajor(size: number[]): number[] {
  const stride: number[] = [];
  let acc = 1;
  for (let d = size.length - 1; d >= 0; d--) {
    stride.unshift(acc);
    acc *= size[d]!;
  }
  return stride;
}

/** Appends `_rebuild_tensor_v2((storage pid), offset, size, stride, False, OrderedDict())`. */
export function pushTensor(p: PickleBuilder, t: Omit<TensorSpec, 'name'>): PickleBuilder {
  p.global('torch._utils', '_rebuild_tensor_v2').mark();
  p.mark().str('storage').global('torch', t.storageType ?? 'FloatStorage').str(t.key).str(t.location ?? 'cpu').int(t.numel).tuple().op('Q');
  p.int(t.offset ?? 0);
  p.mark();
  for (const d of t.size) p.int(d);
  p.tuple().mark();
  for (const d of t.stride ?? rowMajor(t.size)) p.int(d);
  p.tuple();
  p.raw(0x89); // NEWFALSE: requires_grad
  p.global('collections', 'OrderedDict').emptyTuple().reduce();
  return p.tuple().reduce();
}

/** A complete protocol-2 pickle of an OrderedDict state dict. */
export function stateDictPickle(tensors: TensorSpec[]): Uint8Array {
  const p = new PickleBuilder().proto(2).global('collections', 'OrderedDict').emptyTuple().reduce().mark();
  for (const t of tensors) pushTensor(p.str(t.name), t);
  return p.op('u').stop().build();
}
