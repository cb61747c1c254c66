import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { inputError } from '@maxpoolbert/core';

type FileHandle = import('node:fs/promises').FileHandle;

/**
 * Writes text or bytes, all of them: FileHandle.write may write only part (a disk filling up, a
 * file-size limit) and report it just in `bytesWritten`, which would leave a truncated file to
 * be renamed over a good one. The next write then fails with the reason (ENOSPC, EFBIG).
 */
async function writeChunk(handle: FileHandle, chunk: Uint8Array | string): Promise<void> {
  const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  for (let offset = 0; offset < bytes.length;) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

function tempName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/**
 * A file-system error from an atomic write, with the file or folder the caller asked for: the
 * error itself names a temporary beside it, or nothing at all (ENOSPC from a write), so a report
 * built from `path` alone would send the user to the wrong place.
 */
export interface AtomicWriteError extends NodeJS.ErrnoException {
  target: string;
}

function withTarget(err: unknown, target: string): unknown {
  // Not `instanceof Error`: errors from Node's fs may come from another realm (vm contexts, Jest).
  if (typeof err === 'object' && err !== null && typeof (err as NodeJS.ErrnoException).code === 'string' && !('target' in err)) {
    (err as AtomicWriteError).target = target;
  }
  return err;
}

/** Runs `write`, naming `target` on any file-system error it throws. */
async function naming<T>(target: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    throw withTarget(err, target);
  }
}

async function requireParentFolder(target: string): Promise<void> {
  const parent = path.dirname(path.resolve(target));
  const stat = await fsp.stat(parent).catch(() => null);
  if (!stat?.isDirectory()) {
    throw inputError('output folder does not exist', { file: parent, fix: `create it first (mkdir -p ${parent})` });
  }
}

/**
 * Writes `chunks` to a temporary file beside `target`, flushes it, then renames it over the
 * target: readers see either the old file or the whole new one, never half of it.
 */
export async function writeFileAtomic(target: string, chunks: Iterable<Uint8Array | string>): Promise<void> {
  await requireParentFolder(target);
  const tmp = tempName(target);
  await naming(target, async () => {
    const handle = await fsp.open(tmp, 'w');
    try {
      for (const chunk of chunks) await writeChunk(handle, chunk);
      await handle.sync();
      await handle.close();
      await fsp.rename(tmp, target);
    } catch (err) {
      await handle.close().catch(() => undefined);
      await fsp.rm(tmp, { force: true });
      throw err;
    }
  });
}

/** Where `writeFolderAtomic` parks the previous folder during the swap. */
function previousName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.previous`);
}

/**
 * Makes `dir` whole again after a crash in the middle of `writeFolderAtomic`: when the process
 * died between moving the old folder aside and moving the new one in, the old (complete) folder
 * is put back. Also removes temporaries such a crash left. Assumes one writer per folder.
 */
export async function recoverFolder(dir: string): Promise<void> {
  const target = path.resolve(dir);
  await naming(target, () => recover(target));
}

async function recover(target: string): Promise<void> {
  const previous = previousName(target);
  const parent = path.dirname(target);
  if (!(await fsp.stat(parent).catch(() => null))) return;
  if (!(await fsp.stat(target).catch(() => null)) && (await fsp.stat(previous).catch(() => null))) {
    await fsp.rename(previous, target);
  }
  const stale = `.${path.basename(target)}.tmp-`;
  for (const name of await fsp.readdir(parent)) {
    if (name.startsWith(stale)) await fsp.rm(path.join(parent, name), { recursive: true, force: true });
  }
  await fsp.rm(previous, { recursive: true, force: true });
}

/**
 * Writes a whole folder (e.g. a model: config, vocab, weights) next to `dir`, then swaps it in.
 * An existing folder is replaced only once the new one is complete; `recoverFolder` repairs the
 * one moment of the swap when neither is in place.
 */
export async function writeFolderAtomic(dir: string, files: Map<string, Iterable<Uint8Array | string>>): Promise<void> {
  const target = path.resolve(dir);
  await requireParentFolder(target);
  await recoverFolder(target);
  await naming(target, () => swapIn(target, files));
}

async function swapIn(target: string, files: Map<string, Iterable<Uint8Array | string>>): Promise<void> {
  const tmp = tempName(target);
  await fsp.mkdir(tmp);
  try {
    for (const [name, chunks] of files) {
      const handle = await fsp.open(path.join(tmp, name), 'w');
      try {
        for (const chunk of chunks) await writeChunk(handle, chunk);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    const previous = (await fsp.stat(target).catch(() => null)) ? previousName(target) : null;
    if (previous) await fsp.rename(target, previous);
    try {
      await fsp.rename(tmp, target);
    } catch (err) {
      if (previous) await fsp.rename(previous, target); // put the previous folder back
      throw err;
    }
    if (previous) await fsp.rm(previous, { recursive: true, force: true });
  } catch (err) {
    await fsp.rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/**
 * A file written piece by piece (e.g. JSONL output) that appears at `target` only on `commit()`;
 * `abort()` (or a crash) leaves the target as it was.
 */
export class AtomicFileWriter {
  private constructor(
    readonly target: string,
    private readonly tmp: string,
    private readonly handle: FileHandle,
  ) {}

  static async open(target: string): Promise<AtomicFileWriter> {
    const resolved = path.resolve(target);
    await requireParentFolder(resolved);
    const tmp = tempName(resolved);
    return new AtomicFileWriter(resolved, tmp, await naming(resolved, () => fsp.open(tmp, 'w')));
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    await naming(this.target, () => writeChunk(this.handle, chunk));
  }

  async commit(): Promise<void> {
    await naming(this.target, async () => {
      await this.handle.sync();
      await this.handle.close();
      await fsp.rename(this.tmp, this.target);
    });
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await fsp.rm(this.tmp, { force: true });
  }
}
