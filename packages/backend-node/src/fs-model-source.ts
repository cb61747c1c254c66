import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { inputError, type ModelSource } from '@maxpoolbert/core';

/**
 * A model folder on disk. Ranges are read through a file handle, so a 1.3 GB checkpoint is
 * never loaded whole: the safetensors reader pulls one tensor at a time.
 */
export class FsModelSource implements ModelSource {
  readonly location: string;

  constructor(dir: string) {
    this.location = path.resolve(dir);
  }

  /** Fails early, with the fix, when the folder itself is missing. */
  static async open(dir: string): Promise<FsModelSource> {
    const source = new FsModelSource(dir);
    const stat = await fsp.stat(source.location).catch(() => null);
    if (!stat) throw inputError('model folder does not exist', { file: source.location, fix: 'pass --model with a Hugging Face model folder, or create one with `maxpoolbert init`' });
    if (!stat.isDirectory()) throw inputError('is not a folder', { file: source.location, fix: 'pass the folder that holds config.json, vocab.txt and the weights' });
    return source;
  }

  pathOf(name: string): string {
    return path.join(this.location, name);
  }

  async has(name: string): Promise<boolean> {
    const stat = await fsp.stat(this.pathOf(name)).catch(() => null);
    return !!stat?.isFile();
  }

  async read(name: string): Promise<Uint8Array> {
    return new Uint8Array(await this.guard(name, () => fsp.readFile(this.pathOf(name))));
  }

  async readText(name: string): Promise<string> {
    return this.guard(name, () => fsp.readFile(this.pathOf(name), 'utf8'));
  }

  async size(name: string): Promise<number> {
    return (await this.guard(name, () => fsp.stat(this.pathOf(name)))).size;
  }

  async readRange(name: string, start: number, end: number): Promise<Uint8Array> {
    const handle = await this.guard(name, () => fsp.open(this.pathOf(name), 'r'));
    try {
      const out = new Uint8Array(Math.max(0, end - start));
      let done = 0;
      while (done < out.length) {
        const { bytesRead } = await handle.read(out, done, out.length - done, start + done);
        if (bytesRead === 0) throw inputError(`file ended at byte ${start + done}, expected data up to byte ${end}`, { file: this.pathOf(name), fix: 'the file is truncated; download or save it again' });
        done += bytesRead;
      }
      return out;
    } finally {
      await handle.close();
    }
  }

  /** Turns "ENOENT" and friends into an error that names the file. */
  private async guard<T>(name: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw inputError('file not found', { file: this.pathOf(name), fix: `the model folder needs ${name}` });
      if (code === 'EACCES') throw inputError('permission denied', { file: this.pathOf(name) });
      throw err;
    }
  }
}
