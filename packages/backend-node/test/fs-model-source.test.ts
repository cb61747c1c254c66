import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MaxPoolBertError } from '@maxpoolbert/core';
import { FsModelSource } from '../src/index';
import { rejection } from './rejection';

/** FsModelSource over a real temporary folder: the errors must name the path and the fix. */
let dir: string;
const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37 + 11) & 0xff);
const text = 'héllo wörld — ünïcode\nsecond line\n';

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'maxpoolbert-fsms-'));
  await fsp.writeFile(path.join(dir, 'weights.bin'), bytes);
  await fsp.writeFile(path.join(dir, 'vocab.txt'), text, 'utf8');
  await fsp.writeFile(path.join(dir, 'empty.bin'), new Uint8Array(0));
  await fsp.mkdir(path.join(dir, 'sub'));
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});


describe('FsModelSource.open', () => {
  it('opens an existing folder and resolves its location', async () => {
    const rel = path.relative(process.cwd(), dir);
    const source = await FsModelSource.open(rel);
    expect(source.location).toBe(path.resolve(dir));
    expect(source.pathOf('config.json')).toBe(path.join(path.resolve(dir), 'config.json'));
  });

  it('rejects a missing folder, naming the path and a fix', async () => {
    const missing = path.join(dir, 'no-such-model');
    const err = await rejection(FsModelSource.open(missing), MaxPoolBertError);
    expect(err.file).toBe(missing);
    expect(err.message).toContain(missing);
    expect(err.message).toMatch(/does not exist/);
    expect(err.message).toMatch(/--model|maxpoolbert init/);
  });

  it('rejects a file where a folder is expected, naming the path and a fix', async () => {
    const file = path.join(dir, 'vocab.txt');
    const err = await rejection(FsModelSource.open(file), MaxPoolBertError);
    expect(err.file).toBe(file);
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/not a folder/);
    expect(err.message).toMatch(/config\.json/);
  });
});

describe('FsModelSource reading', () => {
  let source: FsModelSource;
  beforeAll(async () => {
    source = await FsModelSource.open(dir);
  });

  it('has() is true for files only', async () => {
    expect(await source.has('weights.bin')).toBe(true);
    expect(await source.has('vocab.txt')).toBe(true);
    expect(await source.has('empty.bin')).toBe(true);
    expect(await source.has('missing.bin')).toBe(false);
    expect(await source.has('sub')).toBe(false);
  });

  it('read() returns every byte as a Uint8Array', async () => {
    const got = await source.read('weights.bin');
    expect(got).toBeInstanceOf(Uint8Array);
    expect(got.length).toBe(bytes.length);
    expect(Buffer.from(got).equals(Buffer.from(bytes))).toBe(true);
  });

  it('readText() decodes UTF-8', async () => {
    expect(await source.readText('vocab.txt')).toBe(text);
  });

  it('size() is the byte length', async () => {
    expect(await source.size('weights.bin')).toBe(bytes.length);
    expect(await source.size('vocab.txt')).toBe(Buffer.byteLength(text, 'utf8'));
    expect(await source.size('empty.bin')).toBe(0);
  });

  it('readRange() over the whole file equals the file', async () => {
    const got = await source.readRange('weights.bin', 0, bytes.length);
    expect(Array.from(got)).toEqual(Array.from(bytes));
  });

  it('readRange() of a middle slice equals that slice', async () => {
    for (const [start, end] of [
      [123, 456],
      [1, 2],
      [999, 1000],
      [500, 500],
    ]) {
      const got = await source.readRange('weights.bin', start, end);
      expect(got.length).toBe(end - start);
      expect(Array.from(got)).toEqual(Array.from(bytes.subarray(start, end)));
    }
  });

  it('readRange() past the end fails naming the file and "truncated"', async () => {
    const file = path.join(dir, 'weights.bin');
    const err = await rejection(source.readRange('weights.bin', 900, 1100), MaxPoolBertError);
    expect(err.file).toBe(file);
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/truncated/);
    expect(err.message).toContain('1000'); // where it ended
    expect(err.message).toContain('1100'); // what was wanted

    const whollyPast = await rejection(source.readRange('weights.bin', 2000, 2010), MaxPoolBertError);
    expect(whollyPast.message).toContain(file);
    expect(whollyPast.message).toMatch(/truncated/);
  });

  it.each([
    ['read', (s: FsModelSource) => s.read('missing.bin')],
    ['readText', (s: FsModelSource) => s.readText('missing.bin')],
    ['size', (s: FsModelSource) => s.size('missing.bin')],
    ['readRange', (s: FsModelSource) => s.readRange('missing.bin', 0, 4)],
  ])('%s() of a missing file fails naming the file path', async (_name, op) => {
    const file = path.join(dir, 'missing.bin');
    const err = await rejection(op(source), MaxPoolBertError);
    expect(err.file).toBe(file);
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/not found/);
    expect(err.message).toContain('needs missing.bin');
  });
});
