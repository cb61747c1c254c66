import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MaxPoolBertError } from '@maxpoolbert/core';
import { AtomicFileWriter, recoverFolder, writeFileAtomic, writeFolderAtomic } from '../src/index';
import { rejection } from './rejection';

/** Atomic writes: the target holds either the old content or the whole new content, never a mix. */
let root: string;

beforeEach(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'maxpoolbert-atomic-'));
});
afterEach(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

const enc = (s: string) => new TextEncoder().encode(s);

/** Yields `chunks`, then throws after `failAfter` of them (a generator that fails midway). */
function* failingChunks(chunks: (string | Uint8Array)[], failAfter: number): Generator<string | Uint8Array> {
  for (let i = 0; i < chunks.length; i++) {
    if (i === failAfter) throw new Error('boom: producer failed midway');
    yield chunks[i];
  }
}

/** Everything left in `dir` that looks like one of our temporaries. */
async function temporaries(dir: string): Promise<string[]> {
  return (await fsp.readdir(dir)).filter((n) => /^\..+\.tmp-/.test(n));
}


describe('writeFileAtomic', () => {
  it('writes every chunk, strings and bytes, in order', async () => {
    const target = path.join(root, 'out.bin');
    const binary = Uint8Array.from([0, 1, 2, 254, 255]);
    await writeFileAtomic(target, ['héllo ', enc('wörld'), binary, '', new Uint8Array(0), '\nend']);
    const got = await fsp.readFile(target);
    const want = Buffer.concat([Buffer.from('héllo ', 'utf8'), Buffer.from('wörld', 'utf8'), Buffer.from(binary), Buffer.from('\nend')]);
    expect(got.equals(want)).toBe(true);
    expect(await temporaries(root)).toEqual([]);
  });

  it('writes many chunks from a generator and an empty file from no chunks', async () => {
    const target = path.join(root, 'lines.jsonl');
    const lines = Array.from({ length: 500 }, (_, i) => JSON.stringify({ i, sq: i * i }) + '\n');
    await writeFileAtomic(target, (function* () {
      yield* lines;
    })());
    expect(await fsp.readFile(target, 'utf8')).toBe(lines.join(''));

    const empty = path.join(root, 'empty');
    await writeFileAtomic(empty, []);
    expect((await fsp.stat(empty)).size).toBe(0);
  });

  it('fails on a missing parent folder, naming it with a mkdir -p fix, and creates nothing', async () => {
    const parent = path.join(root, 'a', 'b');
    const err = await rejection(writeFileAtomic(path.join(parent, 'out.txt'), ['x']));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toContain(parent);
    expect(err.message).toContain(`mkdir -p ${parent}`);
    expect((err as MaxPoolBertError).file).toBe(parent);
    expect(await fsp.readdir(root)).toEqual([]);
  });

  it('treats a file where the parent folder should be as a missing folder', async () => {
    const notDir = path.join(root, 'plain');
    await fsp.writeFile(notDir, 'x');
    const err = await rejection(writeFileAtomic(path.join(notDir, 'out.txt'), ['y']));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toContain(`mkdir -p ${notDir}`);
    expect(await fsp.readdir(root)).toEqual(['plain']);
  });

  it('replaces an existing file on success', async () => {
    const target = path.join(root, 'model.json');
    await fsp.writeFile(target, 'old content that is longer than the new one');
    await writeFileAtomic(target, ['new']);
    expect(await fsp.readFile(target, 'utf8')).toBe('new');
    expect(await fsp.readdir(root)).toEqual(['model.json']);
  });

  it('leaves an existing file unchanged and no temporaries when the chunks throw midway', async () => {
    const target = path.join(root, 'model.json');
    await fsp.writeFile(target, 'old content');
    const err = await rejection(writeFileAtomic(target, failingChunks(['new ', enc('part'), ' never'], 2)));
    expect(err.message).toMatch(/boom/);
    expect(await fsp.readFile(target, 'utf8')).toBe('old content');
    expect(await temporaries(root)).toEqual([]);
    expect(await fsp.readdir(root)).toEqual(['model.json']);
  });

  it('creates nothing when the chunks throw and there was no file before', async () => {
    const target = path.join(root, 'fresh.bin');
    await rejection(writeFileAtomic(target, failingChunks([enc('a'), enc('b')], 1)));
    expect(await fsp.readdir(root)).toEqual([]);
  });
});

describe('writeFolderAtomic', () => {
  const files = () =>
    new Map<string, Iterable<Uint8Array | string>>([
      ['config.json', ['{"hidden_size":', '8}']],
      ['vocab.txt', ['[PAD]\n', enc('[UNK]\n')]],
      ['model.safetensors', [Uint8Array.from([1, 2, 3, 4])]],
    ]);

  it('creates a new folder with every file', async () => {
    const dir = path.join(root, 'model');
    await writeFolderAtomic(dir, files());
    expect((await fsp.readdir(dir)).sort()).toEqual(['config.json', 'model.safetensors', 'vocab.txt']);
    expect(await fsp.readFile(path.join(dir, 'config.json'), 'utf8')).toBe('{"hidden_size":8}');
    expect(await fsp.readFile(path.join(dir, 'vocab.txt'), 'utf8')).toBe('[PAD]\n[UNK]\n');
    expect(Array.from(await fsp.readFile(path.join(dir, 'model.safetensors')))).toEqual([1, 2, 3, 4]);
    expect(await fsp.readdir(root)).toEqual(['model']);
  });

  it('replaces an existing folder wholly: files it no longer has are gone', async () => {
    const dir = path.join(root, 'model');
    await fsp.mkdir(dir);
    await fsp.writeFile(path.join(dir, 'config.json'), 'old config');
    await fsp.writeFile(path.join(dir, 'stale-extra.bin'), 'old extra');
    await fsp.mkdir(path.join(dir, 'old-subfolder'));
    await fsp.writeFile(path.join(dir, 'old-subfolder', 'x'), 'x');
    await writeFolderAtomic(dir, files());
    expect((await fsp.readdir(dir)).sort()).toEqual(['config.json', 'model.safetensors', 'vocab.txt']);
    expect(await fsp.readFile(path.join(dir, 'config.json'), 'utf8')).toBe('{"hidden_size":8}');
    // Neither the new folder's temporary nor the moved-away old folder is left behind.
    expect(await fsp.readdir(root)).toEqual(['model']);
  });

  it('leaves the old folder intact and no temporaries when a chunk iterable throws', async () => {
    const dir = path.join(root, 'model');
    await fsp.mkdir(dir);
    await fsp.writeFile(path.join(dir, 'config.json'), 'old config');
    await fsp.writeFile(path.join(dir, 'extra.bin'), 'old extra');
    const broken = files();
    broken.set('vocab.txt', failingChunks(['[PAD]\n', '[UNK]\n'], 1));
    const err = await rejection(writeFolderAtomic(dir, broken));
    expect(err.message).toMatch(/boom/);
    expect((await fsp.readdir(dir)).sort()).toEqual(['config.json', 'extra.bin']);
    expect(await fsp.readFile(path.join(dir, 'config.json'), 'utf8')).toBe('old config');
    expect(await fsp.readFile(path.join(dir, 'extra.bin'), 'utf8')).toBe('old extra');
    expect(await fsp.readdir(root)).toEqual(['model']);
  });

  it('creates nothing when it fails and there was no folder before', async () => {
    const broken = files();
    broken.set('model.safetensors', failingChunks([enc('x')], 0));
    await rejection(writeFolderAtomic(path.join(root, 'model'), broken));
    expect(await fsp.readdir(root)).toEqual([]);
  });

  it('fails on a missing parent folder with a mkdir -p fix and creates nothing', async () => {
    const parent = path.join(root, 'nope');
    const err = await rejection(writeFolderAtomic(path.join(parent, 'model'), files()));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toContain(`mkdir -p ${parent}`);
    expect(await fsp.readdir(root)).toEqual([]);
  });
});

describe('AtomicFileWriter', () => {
  it('keeps the target absent until commit, then holds everything written', async () => {
    const target = path.join(root, 'predictions.jsonl');
    const writer = await AtomicFileWriter.open(target);
    expect(writer.target).toBe(target);
    await writer.write('{"a":1}\n');
    await writer.write(enc('{"b":2}\n'));
    await expect(fsp.stat(target)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await temporaries(root)).toHaveLength(1);
    await writer.commit();
    expect(await fsp.readFile(target, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
    expect(await fsp.readdir(root)).toEqual(['predictions.jsonl']);
  });

  it('replaces the previous file only on commit', async () => {
    const target = path.join(root, 'out.txt');
    await fsp.writeFile(target, 'previous');
    const writer = await AtomicFileWriter.open(target);
    await writer.write('next');
    expect(await fsp.readFile(target, 'utf8')).toBe('previous');
    await writer.commit();
    expect(await fsp.readFile(target, 'utf8')).toBe('next');
  });

  it('abort leaves the previous file and removes the temporary', async () => {
    const target = path.join(root, 'out.txt');
    await fsp.writeFile(target, 'previous');
    const writer = await AtomicFileWriter.open(target);
    await writer.write('partial output');
    await writer.abort();
    expect(await fsp.readFile(target, 'utf8')).toBe('previous');
    expect(await fsp.readdir(root)).toEqual(['out.txt']);
  });

  it('abort with no previous file leaves nothing', async () => {
    const writer = await AtomicFileWriter.open(path.join(root, 'new.txt'));
    await writer.write('x');
    await writer.abort();
    expect(await fsp.readdir(root)).toEqual([]);
  });

  it('resolves a relative target', async () => {
    const rel = path.relative(process.cwd(), path.join(root, 'rel.txt'));
    const writer = await AtomicFileWriter.open(rel);
    expect(writer.target).toBe(path.join(root, 'rel.txt'));
    await writer.write('r');
    await writer.commit();
    expect(await fsp.readFile(path.join(root, 'rel.txt'), 'utf8')).toBe('r');
  });

  it('open fails on a missing parent folder with a mkdir -p fix', async () => {
    const parent = path.join(root, 'missing');
    const err = await rejection(AtomicFileWriter.open(path.join(parent, 'x.jsonl')));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toContain(`mkdir -p ${parent}`);
    expect(await fsp.readdir(root)).toEqual([]);
  });
});

describe('recoverFolder', () => {
  it('puts the previous folder back after a crash between the two renames of a swap, and drops temporaries', async () => {
    const parent = await fsp.mkdtemp(path.join(os.tmpdir(), 'mpb-recover-'));
    const target = path.join(parent, 'checkpoint');
    // The state a kill leaves mid-swap: the old folder parked aside, the new one not yet moved in.
    await fsp.mkdir(path.join(parent, '.checkpoint.previous'));
    await fsp.writeFile(path.join(parent, '.checkpoint.previous', 'state.json'), 'old');
    await fsp.mkdir(path.join(parent, '.checkpoint.tmp-123-abcd'));
    await recoverFolder(target);
    expect(await fsp.readFile(path.join(target, 'state.json'), 'utf8')).toBe('old');
    expect((await fsp.readdir(parent)).sort()).toEqual(['checkpoint']);
  });

  it('leaves a complete folder alone, and a later write still swaps atomically', async () => {
    const parent = await fsp.mkdtemp(path.join(os.tmpdir(), 'mpb-recover-'));
    const target = path.join(parent, 'model');
    await writeFolderAtomic(target, new Map([['a.txt', ['one']]]));
    await recoverFolder(target);
    expect(await fsp.readFile(path.join(target, 'a.txt'), 'utf8')).toBe('one');
    await writeFolderAtomic(target, new Map([['b.txt', ['two']]]));
    expect(await fsp.readdir(target)).toEqual(['b.txt']);
    expect(await fsp.readdir(parent)).toEqual(['model']);
  });
});
