import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { MaxPoolBertError } from '../../src/errors.js';
import { readTorchCheckpoint, readTorchStateDict } from '../../src/weights/torch-zip.js';
import { unpickle } from '../../src/weights/pickle.js';
import { LOCAL_FIXTURES } from './fs-source.js';
import { PickleBuilder, pushTensor, stateDictPickle } from './pickle-builder.js';

interface Expected {
  dtype: string;
  shape: number[];
  values: (number | string)[];
}
const EXPECTED = JSON.parse(fs.readFileSync(path.join(LOCAL_FIXTURES, 'expected.json'), 'utf8')) as Record<string, Expected>;

function fixture(name: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(LOCAL_FIXTURES, name)));
}

function decodeExpected(v: number | string): number {
  return v === '-0' ? -0 : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v === 'NaN' ? NaN : (v as number);
}

function checkAgainstExpected(bytes: Uint8Array, label: string) {
  const { tensors, dtypes } = readTorchCheckpoint(bytes, label);
  expect([...tensors.keys()]).toEqual(Object.keys(EXPECTED)); // state-dict order is kept
  for (const [name, exp] of Object.entries(EXPECTED)) {
    const t = tensors.get(name)!;
    expect({ name, shape: t.shape }).toEqual({ name, shape: exp.shape });
    const float = ['F32', 'F16', 'BF16', 'F64'].includes(exp.dtype);
    expect(t.dtype).toBe(float ? 'float32' : 'int32');
    expect(t.data).toBeInstanceOf(float ? Float32Array : Int32Array);
    expect(dtypes[name]).toBe(exp.dtype);
    const got = Array.from(t.data);
    const want = exp.values.map(decodeExpected);
    expect(got.length).toBe(want.length);
    got.forEach((g, i) => {
      if (!Object.is(g, want[i])) throw new Error(`${name}[${i}]: got ${g}, expected ${want[i]}`);
    });
  }
  return tensors;
}

/** A torch.save-style zip: `<archive>/data.pkl`, `byteorder`, `data/<key>`, `version`. */
function torchZip(pkl: Uint8Array, storages: Record<string, Uint8Array>, opts: { archive?: string; level?: 0 | 6; extra?: Zippable } = {}): Uint8Array {
  const archive = opts.archive ?? 'archive';
  const files: Zippable = { [`${archive}/data.pkl`]: pkl, [`${archive}/byteorder`]: new TextEncoder().encode('little') };
  for (const [key, data] of Object.entries(storages)) files[`${archive}/data/${key}`] = data;
  files[`${archive}/version`] = new TextEncoder().encode('3\n');
  return zipSync({ ...files, ...opts.extra }, { level: opts.level ?? 0 });
}

function f32(...values: number[]): Uint8Array {
  return new Uint8Array(new Float32Array(values).buffer);
}

function torchError(bytes: Uint8Array, label = '/m/pytorch_model.bin'): MaxPoolBertError {
  try {
    readTorchStateDict(bytes, label);
  } catch (e) {
    expect(e).toBeInstanceOf(MaxPoolBertError);
    expect((e as Error).message).toContain(label);
    return e as MaxPoolBertError;
  }
  throw new Error('expected an error');
}

describe('readTorchStateDict on torch.save-format fixtures', () => {
  test('protocol 2 (torch.save default): every dtype, views, strides, parameters', () => {
    checkAgainstExpected(fixture('state-dict-p2.bin'), 'state-dict-p2.bin');
  });

  test('protocol 4 (FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL) and another archive name', () => {
    const { archive } = readTorchCheckpoint(fixture('state-dict-p4.bin'), 'state-dict-p4.bin');
    expect(archive).toBe('pytorch_model');
    checkAgainstExpected(fixture('state-dict-p4.bin'), 'state-dict-p4.bin');
  });

  test('tensors sharing one storage are independent copies', () => {
    const tensors = readTorchStateDict(fixture('state-dict-p2.bin'), 'x');
    const a = tensors.get('shared.a')!;
    const c = tensors.get('shared.c')!;
    expect(a.data.buffer).not.toBe(c.data.buffer);
    c.data[2] = 1000;
    expect(a.data[0]).toBe(3);
  });

  test('a checkpoint without a byteorder record is little-endian', () => {
    expect(Array.from(readTorchStateDict(fixture('no-byteorder.bin'), 'x').get('w')!.data)).toEqual([1, 2]);
  });

  test('a big-endian checkpoint is refused', () => {
    const err = torchError(fixture('big-endian.bin'), 'big-endian.bin');
    expect(err.message).toContain('big-endian checkpoints are not supported');
    expect(err.field).toBe('archive/byteorder');
  });

  test('the legacy (pre-1.6) format is refused with a clear message', () => {
    const err = torchError(fixture('legacy.bin'), '/m/old/pytorch_model.bin');
    expect(err.message).toContain('legacy (pre-1.6, non-zip) torch.save format');
    expect(err.message).toContain('re-save with torch>=1.6 or convert to safetensors');
  });

  test('a pickle calling os.system is rejected without executing anything', () => {
    const err = torchError(fixture('malicious-os-system.bin'), '/m/evil/pytorch_model.bin');
    expect(err.message).toContain('/m/evil/pytorch_model.bin: archive/data.pkl: unsupported pickle global os.system: only state dicts of tensors can be read');
    // The same attack as Python actually pickles it (posix.system), hidden inside a state dict.
    expect(torchError(fixture('malicious-nested.bin')).message).toContain('unsupported pickle global posix.system');
  });

  test('the committed fixtures match what make_torch_fixtures.py generates (when python3 is available)', () => {
    const probe = spawnSync('python3', ['--version']);
    if (probe.status !== 0) return; // the committed fixtures are used as they are
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-fixtures-'));
    try {
      const run = spawnSync('python3', [path.join(LOCAL_FIXTURES, 'make_torch_fixtures.py'), dir], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      // Same files (compared by what they decode to, so another Python version's byte-level
      // differences in zip/pickle framing would not matter) and the same expected values.
      const outcome = (file: string) => {
        try {
          const { tensors, dtypes } = readTorchCheckpoint(new Uint8Array(fs.readFileSync(file)), 'label');
          return { tensors: [...tensors].map(([k, t]) => [k, t.dtype, t.shape, Array.from(t.data)]), dtypes };
        } catch (e) {
          return { error: (e as Error).message };
        }
      };
      const names = fs.readdirSync(dir).sort();
      expect(names).toEqual(fs.readdirSync(LOCAL_FIXTURES).filter((n) => n.endsWith('.bin') || n === 'expected.json').sort());
      for (const name of names) {
        if (name === 'expected.json') {
          expect(fs.readFileSync(path.join(dir, name), 'utf8')).toBe(fs.readFileSync(path.join(LOCAL_FIXTURES, name), 'utf8'));
        } else {
          expect({ name, ...outcome(path.join(dir, name)) }).toEqual({ name, ...outcome(path.join(LOCAL_FIXTURES, name)) });
        }
      }
      checkAgainstExpected(new Uint8Array(fs.readFileSync(path.join(dir, 'state-dict-p2.bin'))), 'regenerated');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('readTorchStateDict on hand-assembled checkpoints', () => {
  test('a minimal state dict, stored or deflated', () => {
    const pkl = stateDictPickle([
      { name: 'a', key: '0', numel: 4, size: [2, 2] },
      { name: 'b', key: '1', numel: 3, size: [3], storageType: 'IntStorage' },
    ]);
    const storages = { '0': f32(1, 2, 3, 4), '1': new Uint8Array(new Int32Array([7, -8, 9]).buffer) };
    for (const level of [0, 6] as const) {
      const out = readTorchStateDict(torchZip(pkl, storages, { level }), 'x');
      expect(Array.from(out.get('a')!.data)).toEqual([1, 2, 3, 4]);
      expect(out.get('b')).toEqual({ dtype: 'int32', shape: [3], data: new Int32Array([7, -8, 9]) });
    }
  });

  test('transposed 3-d views and storage offsets are materialised by strides', () => {
    // storage 0..23 as a [2,3,4] tensor, permuted to [4,2,3] (strides [1,12,4]), plus an offset slice.
    const values = Array.from({ length: 24 }, (_, i) => i);
    const pkl = stateDictPickle([
      { name: 'perm', key: '0', numel: 24, size: [4, 2, 3], stride: [1, 12, 4] },
      { name: 'col', key: '0', numel: 24, offset: 13, size: [3], stride: [4] },
      { name: 'bcast', key: '0', numel: 24, offset: 5, size: [2, 3], stride: [0, 1] },
    ]);
    const out = readTorchStateDict(torchZip(pkl, { '0': f32(...values) }), 'x');
    const expected: number[] = [];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 3; k++) expected.push(j * 12 + k * 4 + i);
    expect(Array.from(out.get('perm')!.data)).toEqual(expected);
    expect(Array.from(out.get('col')!.data)).toEqual([13, 17, 21]);
    expect(Array.from(out.get('bcast')!.data)).toEqual([5, 6, 7, 5, 6, 7]);
  });

  test('_rebuild_parameter and _rebuild_from_type_v2 wrappers yield the tensor', () => {
    const p = new PickleBuilder().proto().global('collections', 'OrderedDict').emptyTuple().reduce().mark();
    p.str('p').global('torch._utils', '_rebuild_parameter').mark();
    pushTensor(p, { key: '0', numel: 2, size: [2] });
    p.raw(0x88).global('collections', 'OrderedDict').emptyTuple().reduce().tuple().reduce();
    p.str('q').global('torch._tensor', '_rebuild_from_type_v2').mark().global('torch._utils', '_rebuild_tensor_v2');
    p.global('torch.nn.parameter', 'Parameter').mark();
    p.mark().str('storage').global('torch', 'FloatStorage').str('0').str('cpu').int(2).tuple().op('Q');
    p.int(1).mark().int(1).tuple().mark().int(1).tuple().raw(0x89).global('collections', 'OrderedDict').emptyTuple().reduce().tuple();
    p.op('}').tuple().reduce();
    const out = readTorchStateDict(torchZip(p.op('u').stop().build(), { '0': f32(5, 6) }), 'x');
    expect(Array.from(out.get('p')!.data)).toEqual([5, 6]);
    expect(Array.from(out.get('q')!.data)).toEqual([6]);
  });

  test('structural problems name the file and the tensor', () => {
    const one = stateDictPickle([{ name: 'enc.w', key: '0', numel: 4, size: [4] }]);
    expect(torchError(torchZip(one, {})).message).toContain('enc.w: storage entry archive/data/0 is missing from the zip (used by enc.w)');
    expect(torchError(torchZip(one, { '0': f32(1, 2, 3) })).message).toContain(
      'enc.w: storage archive/data/0 holds 12 bytes but the pickle declares 4 F32 elements (16 bytes)',
    );
    const over = stateDictPickle([{ name: 'enc.w', key: '0', numel: 4, offset: 2, size: [3] }]);
    expect(torchError(torchZip(over, { '0': f32(1, 2, 3, 4) })).message).toContain('enc.w: size [3] with stride [1] at storage offset 2 reads element 4');
    const big = stateDictPickle([{ name: 'ids', key: '0', numel: 1, size: [1], storageType: 'LongStorage' }]);
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigInt64(0, 1n << 40n, true);
    expect(torchError(torchZip(big, { '0': bytes })).message).toContain('ids: I64 element 0 is 1099511627776, outside the int32 range');
  });

  test('pickles that are not state dicts', () => {
    const list = new PickleBuilder().proto().op(']').stop().build();
    expect(torchError(torchZip(list, {})).message).toContain('the pickle holds a list, not a state dict');
    const nested = new PickleBuilder().proto().op('}').str('state_dict').op('}').op('s').stop().build();
    expect(torchError(torchZip(nested, {})).message).toContain('state_dict: value is a dict, not a tensor (a nested dict: is the state dict under "state_dict"?)');
    const number = new PickleBuilder().proto().op('}').str('step').int(7).op('s').stop().build();
    expect(torchError(torchZip(number, {})).message).toContain('step: value is a int, not a tensor');
  });

  test('hostile or unknown pickle content is refused', () => {
    const evalCall = new PickleBuilder().proto(4).stackGlobal('builtins', 'eval').shortStr('1+1').raw(0x85).reduce().stop().build();
    expect(torchError(torchZip(evalCall, {})).message).toContain('unsupported pickle global builtins.eval');
    const torchLoad = new PickleBuilder().proto().global('torch', 'load').stop().build();
    expect(torchError(torchZip(torchLoad, {})).message).toContain('unsupported pickle global torch.load');
    const unknownOp = new PickleBuilder().proto().raw(0x69).stop().build(); // INST
    expect(torchError(torchZip(unknownOp, {})).message).toContain("unsupported pickle opcode 0x69 ('i')");
    const complex = stateDictPickle([{ name: 'c', key: '0', numel: 1, size: [1], storageType: 'ComplexFloatStorage' }]);
    expect(torchError(torchZip(complex, {})).message).toContain('storage type torch.ComplexFloatStorage is not supported');
    const truncated = stateDictPickle([{ name: 'w', key: '0', numel: 1, size: [1] }]).subarray(0, 60);
    expect(torchError(torchZip(truncated, {})).message).toMatch(/truncated pickle|pickle ends without STOP/);
    const badPid = new PickleBuilder().proto().mark().str('module').str('x').tuple().op('Q').stop().build();
    expect(torchError(torchZip(badPid, {})).message).toContain("unsupported persistent id tuple: expected ('storage', type, key, location, numel)");
  });

  test('files that are not torch zip checkpoints', () => {
    expect(torchError(new Uint8Array(0)).message).toContain('file is empty');
    expect(torchError(new TextEncoder().encode('hello world')).message).toContain('no zip signature');
    const corrupt = torchZip(stateDictPickle([]), {}).subarray(0, 40);
    expect(torchError(corrupt).message).toContain('not a readable zip archive');
    expect(torchError(zipSync({ 'a/b.txt': new Uint8Array(1) })).message).toContain('no <archive>/data.pkl entry');
    const script = zipSync({ 'm/data.pkl': stateDictPickle([]), 'm/constants.pkl': new Uint8Array(1) });
    expect(torchError(script).message).toContain('TorchScript archive');
  });
});

describe('unpickle', () => {
  const hooks = {
    resolveGlobal: (m: string, n: string) => ({ kind: 'global' as const, module: m, name: n }),
    call: () => null,
    persistentLoad: () => null,
  };

  test('basic values', () => {
    const p = new PickleBuilder().proto().op(']').mark().int(1).int(300).int(-5).int(70000).raw(0x8a, 2, 0xff, 0x7f).raw(0x8a, 1, 0xff);
    p.op('G').raw(0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18).op('N').raw(0x88).raw(0x89).str('é').op('e').stop();
    const v = unpickle(p.build(), hooks, { file: 'f' });
    expect(v).toEqual({ kind: 'list', items: [1, 300, -5, 70000, 32767, -1, Math.PI, null, true, false, 'é'] });
  });

  test('LONG1 beyond 2^53 stays exact as a bigint', () => {
    const v = unpickle(new PickleBuilder().proto().raw(0x8a, 8, 0, 0, 0, 0, 0, 0, 0, 0x40).stop().build(), hooks, { file: 'f' });
    expect(v).toBe(1n << 62n);
  });

  test('memo errors and stack underflow are reported with the byte offset', () => {
    expect(() => unpickle(new PickleBuilder().proto().op('h').raw(3).stop().build(), hooks, { file: 'f.pkl' })).toThrow(
      'f.pkl: memo entry 3 is not defined (at byte 2 of the pickle)',
    );
    expect(() => unpickle(new PickleBuilder().proto().op('R').build(), hooks, { file: 'f.pkl' })).toThrow('stack underflow');
    expect(() => unpickle(new PickleBuilder().proto(6).stop().build(), hooks, { file: 'f.pkl' })).toThrow('unsupported pickle protocol 6');
  });
});
