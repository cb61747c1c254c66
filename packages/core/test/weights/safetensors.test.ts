import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MaxPoolBertError } from '../../src/errors.js';
import { MemoryModelSource } from '../../src/io/model-source.js';
import { bfloat16ToFloat, decodeElements, halfToFloat } from '../../src/weights/dtypes.js';
import type { HostTensor } from '../../src/weights/named-tensor.js';
import { readSafetensors, readSafetensorsHeader } from '../../src/weights/safetensors-read.js';
import { concatChunks, encodeSafetensors } from '../../src/weights/safetensors-write.js';
import { FsModelSource, HEADS_DIR, SpySource, TINY_BERT_DIR, errorOf } from './fs-source.js';

const enc = new TextEncoder();

/** Assembles a safetensors file from a header (object or raw text) and a data section. */
function buildFile(header: unknown, data: Uint8Array = new Uint8Array(0), opts: { lengthField?: number; pad?: boolean } = {}): Uint8Array {
  let json = enc.encode(typeof header === 'string' ? header : JSON.stringify(header));
  if (opts.pad) {
    const padded = new Uint8Array(Math.ceil(json.length / 8) * 8).fill(0x20);
    padded.set(json);
    json = padded;
  }
  const out = new Uint8Array(8 + json.length + data.length);
  const dv = new DataView(out.buffer);
  const n = opts.lengthField ?? json.length;
  dv.setUint32(0, n % 2 ** 32, true);
  dv.setUint32(4, Math.floor(n / 2 ** 32), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function memory(bytes: Uint8Array, name = 'model.safetensors') {
  return new MemoryModelSource(new Map([[name, bytes]]), '/models/test');
}

function le(kind: 'u16' | 'f32' | 'f64' | 'i64' | 'i32' | 'u32', values: (number | bigint)[]): Uint8Array {
  const size = { u16: 2, f32: 4, f64: 8, i64: 8, i32: 4, u32: 4 }[kind];
  const out = new Uint8Array(values.length * size);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => {
    if (kind === 'u16') dv.setUint16(i * 2, Number(v), true);
    else if (kind === 'f32') dv.setFloat32(i * 4, Number(v), true);
    else if (kind === 'f64') dv.setFloat64(i * 8, Number(v), true);
    else if (kind === 'i64') dv.setBigInt64(i * 8, BigInt(v), true);
    else if (kind === 'i32') dv.setInt32(i * 4, Number(v), true);
    else dv.setUint32(i * 4, Number(v), true);
  });
  return out;
}

async function readOne(dtype: string, shape: number[], data: Uint8Array): Promise<HostTensor> {
  const file = buildFile({ t: { dtype, shape, data_offsets: [0, data.length] } }, data);
  return (await readSafetensors(memory(file), 'model.safetensors')).get('t')!;
}

describe('readSafetensors on the shared fixtures', () => {
  test('tiny-bert: HF BertModel names, shapes and F32 data', async () => {
    const source = new FsModelSource(TINY_BERT_DIR);
    const header = await readSafetensorsHeader(source, 'model.safetensors');
    expect(header.metadata).toEqual({ format: 'pt' });
    expect(header.entries).toHaveLength(39);
    expect(header.entries.every((e) => e.dtype === 'F32')).toBe(true);
    expect(header.dataStart % 8).toBe(0);

    const tensors = await readSafetensors(source, 'model.safetensors');
    expect(tensors.size).toBe(39);
    expect(tensors.get('embeddings.word_embeddings.weight')!.shape).toEqual([30522, 32]);
    expect(tensors.get('embeddings.position_embeddings.weight')!.shape).toEqual([128, 32]);
    expect(tensors.get('encoder.layer.1.intermediate.dense.weight')!.shape).toEqual([64, 32]);
    expect(tensors.get('encoder.layer.1.output.dense.weight')!.shape).toEqual([32, 64]);
    expect(tensors.get('pooler.dense.bias')!.shape).toEqual([32]);
    for (const t of tensors.values()) {
      expect(t.dtype).toBe('float32');
      expect(t.data).toBeInstanceOf(Float32Array);
      expect(t.data.length).toBe(t.shape.reduce((a, b) => a * b, 1));
      expect(t.data.every((v) => Number.isFinite(v))).toBe(true);
    }
    // The values are the file's bytes, bit for bit.
    const raw = fs.readFileSync(path.join(TINY_BERT_DIR, 'model.safetensors'));
    const e = header.entries.find((x) => x.name === 'pooler.dense.weight')!;
    const bytes = raw.subarray(header.dataStart + e.begin, header.dataStart + e.end);
    const t = tensors.get('pooler.dense.weight')!;
    expect(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).equals(bytes)).toBe(true);
    expect(t.data[0]).toBe(raw.readFloatLE(header.dataStart + e.begin));
  });

  test('classification checkpoints: bert.*, head.* and classifier.* tensors', async () => {
    const cls = await readSafetensors(new FsModelSource(path.join(HEADS_DIR, 'cls-k1-h4-pooler-2labels')), 'model.safetensors');
    expect(cls.size).toBe(41);
    expect(cls.get('bert.embeddings.word_embeddings.weight')!.shape).toEqual([30522, 32]);
    expect(cls.get('classifier.weight')!.shape).toEqual([2, 32]);
    const mha = await readSafetensors(new FsModelSource(path.join(HEADS_DIR, 'max-seq-mha-k2-h4-pooler-2labels')), 'model.safetensors');
    expect(mha.get('head.attention.in_proj_weight')!.shape).toEqual([96, 32]);
    expect(mha.get('head.attention.out_proj.bias')!.shape).toEqual([32]);
  });

  test('filter reads only the selected tensors', async () => {
    const spy = new SpySource(new FsModelSource(TINY_BERT_DIR));
    const out = await readSafetensors(spy, 'model.safetensors', { filter: (n) => n.startsWith('pooler.') });
    expect([...out.keys()].sort()).toEqual(['pooler.dense.bias', 'pooler.dense.weight']);
    expect(spy.calls.filter((c) => c.method === 'readRange')).toHaveLength(2 + 2);
    expect(spy.largestRead()).toBeLessThan(5000);
  });

  test('reads through readRange: prefix, header, then one tensor at a time', async () => {
    const spy = new SpySource(new FsModelSource(TINY_BERT_DIR));
    const fileSize = fs.statSync(path.join(TINY_BERT_DIR, 'model.safetensors')).size;
    await readSafetensors(spy, 'model.safetensors');
    expect(spy.calls.some((c) => c.method === 'read' || c.method === 'readText')).toBe(false);
    const ranges = spy.calls.filter((c) => c.method === 'readRange');
    expect(ranges).toHaveLength(2 + 39);
    expect(ranges[0]!.bytes).toBe(8);
    expect(ranges[1]!.bytes).toBe(4128);
    // The largest single read is the largest tensor (30522 x 32 floats), not the whole file.
    expect(spy.largestRead()).toBe(30522 * 32 * 4);
    expect(spy.largestRead()).toBeLessThan(fileSize);
  });
});

describe('dtype conversion', () => {
  const where = { file: 'f', field: 't' };

  test('F16: exact, including subnormals, infinities and NaN', async () => {
    const cases: [number, number][] = [
      [0x3c00, 1], [0xc000, -2], [0x7bff, 65504], [0xfbff, -65504], [0x0001, 2 ** -24], [0x03ff, 1023 * 2 ** -24],
      [0x0400, 2 ** -14], [0x3555, 0.333251953125], [0x0000, 0], [0x7c00, Infinity], [0xfc00, -Infinity],
    ];
    const t = await readOne('F16', [cases.length + 2], le('u16', [...cases.map(([h]) => h), 0x8000, 0x7e01]));
    expect(t.dtype).toBe('float32');
    cases.forEach(([, v], i) => expect(t.data[i]).toBe(v));
    expect(Object.is(t.data[cases.length], -0)).toBe(true);
    expect(Number.isNaN(t.data[cases.length + 1])).toBe(true);
  });

  test('F16 table agrees with an independent decoder for all 65536 bit patterns', () => {
    const all = new Uint16Array(65536).map((_, i) => i);
    const decoded = decodeElements(new Uint8Array(all.buffer), 'F16', where);
    for (let h = 0; h < 65536; h++) {
      const e = (h >> 10) & 31;
      const m = h & 1023;
      const s = h >> 15 ? -1 : 1;
      const ref = e === 31 ? (m ? NaN : s * Infinity) : e === 0 ? s * (m / 1024) * 2 ** -14 : s * (1 + m / 1024) * 2 ** (e - 15);
      const got = decoded[h]!;
      const same = (a: number) => Object.is(a, ref) || (Number.isNaN(a) && Number.isNaN(ref));
      if (!same(got) || !same(halfToFloat(h))) throw new Error(`half 0x${h.toString(16)}: ${got} / ${halfToFloat(h)} != ${ref}`);
    }
  });

  test('BF16: the top half of a float32', async () => {
    const bits = [0x3f80, 0xc049, 0x7f80, 0xff80, 0x0001, 0x7fc0, 0x8000];
    const t = await readOne('BF16', [bits.length], le('u16', bits));
    expect(Array.from(t.data.subarray(0, 5))).toEqual([1, -3.140625, Infinity, -Infinity, 2 ** -133]);
    expect(Number.isNaN(t.data[5])).toBe(true);
    expect(Object.is(t.data[6], -0)).toBe(true);
    expect(bfloat16ToFloat(0x4049)).toBe(3.140625);
  });

  test('F64 rounds to float32', async () => {
    const t = await readOne('F64', [4], le('f64', [0.1, 1e-50, -3, 1e300]));
    expect(Array.from(t.data)).toEqual([Math.fround(0.1), 0, -3, Infinity]);
  });

  test('I64 within int32, and an error naming file, tensor and element outside it', async () => {
    const t = await readOne('I64', [2, 2], le('i64', [0, -1, 2147483647, -2147483648]));
    expect(t.dtype).toBe('int32');
    expect(t.data).toBeInstanceOf(Int32Array);
    expect(Array.from(t.data)).toEqual([0, -1, 2147483647, -2147483648]);
    for (const bad of [2147483648n, -2147483649n, 2n ** 62n]) {
      const file = buildFile({ ids: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, le('i64', [5n, bad]));
      const err = await errorOf(() => readSafetensors(memory(file), 'model.safetensors'));
      expect(err).toBeInstanceOf(MaxPoolBertError);
      expect(err.message).toContain('/models/test/model.safetensors: ids: I64 element 1 is ' + bad.toString());
    }
  });

  test('I32, I16, I8, U8, U16, U32, U64 and BOOL become int32', async () => {
    expect(Array.from((await readOne('I32', [2], le('i32', [-7, 2 ** 31 - 1]))).data)).toEqual([-7, 2 ** 31 - 1]);
    expect(Array.from((await readOne('I16', [2], new Uint8Array([0x00, 0x80, 0xff, 0x7f]))).data)).toEqual([-32768, 32767]);
    expect(Array.from((await readOne('I8', [3], new Uint8Array([0x80, 0x7f, 0xff]))).data)).toEqual([-128, 127, -1]);
    expect(Array.from((await readOne('U8', [2], new Uint8Array([0, 255]))).data)).toEqual([0, 255]);
    expect(Array.from((await readOne('U16', [1], le('u16', [65535]))).data)).toEqual([65535]);
    expect(Array.from((await readOne('U32', [1], le('u32', [2 ** 31 - 1]))).data)).toEqual([2 ** 31 - 1]);
    await expect(readOne('U32', [1], le('u32', [2 ** 31]))).rejects.toThrow('U32 element 0 is 2147483648');
    expect(Array.from((await readOne('U64', [1], le('i64', [12345]))).data)).toEqual([12345]);
    await expect(readOne('U64', [1], le('i64', [-1n]))).rejects.toThrow('U64 element 0 is 18446744073709551615');
    const b = await readOne('BOOL', [3], new Uint8Array([1, 0, 1]));
    expect(b.dtype).toBe('int32');
    expect(Array.from(b.data)).toEqual([1, 0, 1]);
  });

  test('unaligned tensor offsets are copied, not viewed', async () => {
    // One padding byte before each tensor, and an odd header length: nothing is 4-byte aligned.
    const f32 = le('f32', [1.5, -2.25, 3]);
    const i64 = le('i64', [7, -8]);
    const data = new Uint8Array(1 + f32.length + 1 + i64.length);
    data.set(f32, 1);
    data.set(i64, 2 + f32.length);
    const header = JSON.stringify({
      a: { dtype: 'F32', shape: [3], data_offsets: [1, 13] },
      b: { dtype: 'I64', shape: [2], data_offsets: [14, 30] },
    }) + ' ';
    const file = buildFile(header.length % 2 ? header : header + ' ', data);
    expect((8 + (header.length % 2 ? header.length : header.length + 1)) % 2).toBe(1);
    const out = await readSafetensors(memory(file), 'model.safetensors');
    expect(Array.from(out.get('a')!.data)).toEqual([1.5, -2.25, 3]);
    expect(Array.from(out.get('b')!.data)).toEqual([7, -8]);
    // Not a view into the source file's buffer.
    expect(out.get('a')!.data.buffer).not.toBe(file.buffer);
  });

  test('zero-size tensors', async () => {
    const file = buildFile({ e: { dtype: 'F32', shape: [0, 4], data_offsets: [0, 0] }, s: { dtype: 'F32', shape: [], data_offsets: [0, 4] } }, le('f32', [9]));
    const out = await readSafetensors(memory(file), 'model.safetensors');
    expect(out.get('e')).toEqual({ dtype: 'float32', shape: [0, 4], data: new Float32Array(0) });
    expect(out.get('s')!.shape).toEqual([]);
    expect(Array.from(out.get('s')!.data)).toEqual([9]);
  });
});

describe('header validation', () => {
  const ok = { dtype: 'F32', shape: [2], data_offsets: [0, 8] };
  const data8 = new Uint8Array(8);

  async function headerError(bytes: Uint8Array): Promise<MaxPoolBertError> {
    const err = await errorOf(() => readSafetensorsHeader(memory(bytes), 'model.safetensors'));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toContain('/models/test/model.safetensors');
    expect((err as MaxPoolBertError).file).toBe('/models/test/model.safetensors');
    return err as MaxPoolBertError;
  }

  test('a valid file passes, with metadata', async () => {
    const h = await readSafetensorsHeader(memory(buildFile({ __metadata__: { format: 'pt' }, w: ok }, data8)), 'model.safetensors');
    expect(h.entries).toEqual([{ name: 'w', dtype: 'F32', shape: [2], begin: 0, end: 8 }]);
    expect(h.metadata).toEqual({ format: 'pt' });
  });

  test('file shorter than 8 bytes', async () => {
    expect((await headerError(new Uint8Array(5))).message).toContain('file is 5 bytes, shorter than the 8-byte safetensors header length');
    expect((await headerError(new Uint8Array(0))).message).toContain('file is 0 bytes');
  });

  test('header length larger than the file', async () => {
    const err = await headerError(buildFile({ w: ok }, data8, { lengthField: 5000 }));
    expect(err.message).toContain('header length 5000 bytes runs past the end of the');
    expect(err.field).toBe('header');
  });

  test('absurd header length (> 100 MB)', async () => {
    expect((await headerError(buildFile({ w: ok }, data8, { lengthField: 2 ** 40 }))).message).toContain('is absurd');
    expect((await headerError(buildFile({ w: ok }, data8, { lengthField: 100_000_001 }))).message).toContain('is absurd');
  });

  test('header that is not JSON, or not an object', async () => {
    expect((await headerError(buildFile('{"w": {"dtype": "F32",', data8))).message).toContain('header is not valid UTF-8 JSON');
    expect((await headerError(buildFile(new TextDecoder('latin1').decode(new Uint8Array([0x7b, 0xff, 0x7d])), data8))).message).toContain('not valid UTF-8 JSON');
    expect((await headerError(buildFile('[1,2]', data8))).message).toContain('header must be a JSON object, found an array');
    expect((await headerError(buildFile('42', data8))).message).toContain('header must be a JSON object, found 42');
    expect((await headerError(buildFile('null', data8))).message).toContain('header must be a JSON object');
  });

  test('entry that is not an object, or lacks dtype / shape / data_offsets', async () => {
    expect((await headerError(buildFile({ w: 3 }, data8))).message).toContain('w: header entry must be an object');
    for (const key of ['dtype', 'shape', 'data_offsets']) {
      const entry: Record<string, unknown> = { ...ok };
      delete entry[key];
      const err = await headerError(buildFile({ w: entry }, data8));
      expect(err.message).toContain(`model.safetensors: w: header entry has no "${key}"`);
      expect(err.field).toBe('w');
    }
  });

  test('unknown or unsupported dtype', async () => {
    const err = await headerError(buildFile({ w: { ...ok, dtype: 'F17' } }, data8));
    expect(err.message).toContain('w: unknown dtype "F17"');
    expect(err.message).toContain('supported dtypes: F64, F32, F16, BF16');
    expect((await headerError(buildFile({ w: { ...ok, dtype: 'F8_E4M3', shape: [8] } }, data8))).message).toContain('dtype F8_E4M3 is not supported');
    expect((await headerError(buildFile({ w: { ...ok, dtype: 7 } }, data8))).message).toContain('dtype must be a string');
  });

  test('bad shapes', async () => {
    for (const shape of [[-2], [2.5], '2', [null]]) {
      expect((await headerError(buildFile({ w: { ...ok, shape } }, data8))).message).toContain('w: shape must be an array of non-negative integers');
    }
  });

  test('data_offsets not two non-negative integers with begin <= end', async () => {
    for (const offsets of [[8], [0, 8, 9], [-1, 8], [0.5, 8], ['0', 8], 8, [0, 2 ** 60]]) {
      const err = await headerError(buildFile({ w: { ...ok, data_offsets: offsets } }, data8));
      expect(err.message).toMatch(/w: data_offsets must be two non-negative integers|run past the end/);
    }
    expect((await headerError(buildFile({ w: { ...ok, data_offsets: [8, 0] } }, data8))).message).toContain('w: data_offsets [8,0] begin after they end');
  });

  test('offsets past the data section', async () => {
    const err = await headerError(buildFile({ w: { ...ok, data_offsets: [4, 12] } }, data8));
    expect(err.message).toContain('w: data_offsets [4,12] run past the end of the 8-byte data section');
  });

  test('overlapping tensors', async () => {
    const err = await headerError(
      buildFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, new Uint8Array(12)),
    );
    expect(err.message).toContain('b: data_offsets [4,12] overlap those of "a" [0,8]');
    // Zero-length tensors overlap nothing.
    await readSafetensorsHeader(
      memory(buildFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, z: { dtype: 'F32', shape: [0], data_offsets: [4, 4] } }, data8)),
      'model.safetensors',
    );
  });

  test('shape x dtype size different from the byte length', async () => {
    const err = await headerError(buildFile({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, data8));
    expect(err.message).toContain('w: shape [3] of F32 needs 12 bytes but data_offsets [0,8] span 8');
    expect((await headerError(buildFile({ w: { dtype: 'F16', shape: [2], data_offsets: [0, 8] } }, data8))).message).toContain('needs 4 bytes');
  });

  test('__metadata__ must map strings to strings', async () => {
    expect((await headerError(buildFile({ __metadata__: 'pt', w: ok }, data8))).message).toContain('__metadata__: must be an object of strings');
    expect((await headerError(buildFile({ __metadata__: { n: 1 }, w: ok }, data8))).message).toContain('__metadata__: value of "n" must be a string');
  });
});

describe('encodeSafetensors', () => {
  const tensors = new Map<string, HostTensor>([
    ['z.last', { dtype: 'float32', shape: [2, 3], data: new Float32Array([1, -2.5, 3.25, NaN, Infinity, -0]) }],
    ['a.first', { dtype: 'int32', shape: [3], data: new Int32Array([-2147483648, 0, 2147483647]) }],
    ['m.scalar', { dtype: 'float32', shape: [], data: new Float32Array([Math.PI]) }],
    ['m.empty', { dtype: 'float32', shape: [0, 5], data: new Float32Array(0) }],
  ]);

  test('header: 8-byte aligned, space padded, keys sorted, metadata first', () => {
    const bytes = concatChunks(encodeSafetensors(tensors, { format: 'pt' }));
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(text.trimEnd().length).toBeGreaterThan(n - 8);
    expect(/^ *$/.test(text.slice(text.trimEnd().length))).toBe(true);
    const keys = Object.keys(JSON.parse(text));
    expect(keys).toEqual(['__metadata__', 'a.first', 'm.empty', 'm.scalar', 'z.last']);
    const h = JSON.parse(text);
    expect(h['a.first']).toEqual({ dtype: 'I32', shape: [3], data_offsets: [0, 12] });
    expect(h['m.empty']).toEqual({ dtype: 'F32', shape: [0, 5], data_offsets: [12, 12] });
    expect(h['z.last']).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: [16, 40] });
    expect(bytes.length).toBe(8 + n + 40);
  });

  test('chunks are the header then each tensor, not one concatenated copy', () => {
    const chunks = encodeSafetensors(tensors);
    expect(chunks).toHaveLength(1 + 3); // the empty tensor has no bytes
    expect(chunks[1]!.buffer).toBe(tensors.get('a.first')!.data.buffer);
  });

  test('round trip is exact (bit for bit), from a Map or a Record, in memory and on disk', async () => {
    const bytes = concatChunks(encodeSafetensors(tensors, { note: 'x' }));
    const back = await readSafetensors(memory(bytes), 'model.safetensors');
    expect([...back.keys()].sort()).toEqual([...tensors.keys()].sort());
    for (const [name, t] of tensors) {
      const r = back.get(name)!;
      expect(r.dtype).toBe(t.dtype);
      expect(r.shape).toEqual(t.shape);
      expect(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength).equals(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength))).toBe(true);
    }
    expect((await readSafetensorsHeader(memory(bytes), 'model.safetensors')).metadata).toEqual({ note: 'x' });

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-'));
    try {
      const fd = fs.openSync(path.join(dir, 'model.safetensors'), 'w');
      for (const c of encodeSafetensors(Object.fromEntries(tensors))) fs.writeSync(fd, c);
      fs.closeSync(fd);
      expect(fs.readFileSync(path.join(dir, 'model.safetensors')).equals(Buffer.from(concatChunks(encodeSafetensors(tensors))))).toBe(true);
      const fromDisk = await readSafetensors(new FsModelSource(dir), 'model.safetensors');
      expect(Array.from(fromDisk.get('a.first')!.data)).toEqual([-2147483648, 0, 2147483647]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('round trip of the tiny-bert fixture reproduces every tensor', async () => {
    const original = await readSafetensors(new FsModelSource(TINY_BERT_DIR), 'model.safetensors');
    const back = await readSafetensors(memory(concatChunks(encodeSafetensors(original, { format: 'pt' }))), 'model.safetensors');
    const bytesOf = (t: HostTensor) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    for (const [name, t] of original) expect(bytesOf(back.get(name)!).equals(bytesOf(t))).toBe(true);
  });

  test('deterministic output regardless of insertion order', () => {
    const reversed = new Map([...tensors.entries()].reverse());
    expect(concatChunks(encodeSafetensors(reversed))).toEqual(concatChunks(encodeSafetensors(tensors)));
  });

  test('rejects tensors it cannot write faithfully', () => {
    const bad = (t: Partial<HostTensor>, name = 'w') => () => encodeSafetensors({ [name]: { dtype: 'float32', shape: [2], data: new Float32Array(2), ...t } as HostTensor });
    expect(bad({ shape: [3] })).toThrow('w: shape [3] needs 3 elements but data holds 2');
    expect(bad({ data: new Int32Array(2) })).toThrow('w: dtype "float32" does not match its data (Int32Array)');
    expect(bad({ dtype: 'float64' as never })).toThrow('dtype "float64"');
    expect(bad({ shape: [-2] })).toThrow('shape must be non-negative integers');
    expect(bad({}, '__metadata__')).toThrow('reserved');
    expect(bad({}, '')).toThrow('must not be empty');
    expect(() => encodeSafetensors({}, { n: 1 as unknown as string })).toThrow('__metadata__: value of "n" must be a string');
  });
});
