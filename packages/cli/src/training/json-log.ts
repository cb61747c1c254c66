import { promises as fsp, writeSync } from 'node:fs';
import * as path from 'node:path';

type FileHandle = import('node:fs/promises').FileHandle;

/**
 * `--json-log FILE`: one JSON object per line, appended. Each line is written at once, with a
 * synchronous write: training does not give the event loop a turn between steps, so an async
 * append would sit unwritten until the next evaluation (a compare's progress line, `tail -f`, and
 * a killed run's log all need the steps as they happen). A failed write (a full disk) is kept
 * and thrown at the next `flush`, naming the file, instead of stopping the step.
 */
export class JsonLog {
  private failure: unknown;

  private constructor(readonly file: string, private readonly handle: FileHandle) {}

  static async open(file: string): Promise<JsonLog> {
    const resolved = path.resolve(file);
    return new JsonLog(resolved, await fsp.open(resolved, 'a'));
  }

  write(record: object): void {
    if (this.failure) return;
    const bytes = Buffer.from(JSON.stringify(record) + '\n');
    try {
      for (let done = 0; done < bytes.length; ) done += writeSync(this.handle.fd, bytes, done); // all of it (a write may write part)
    } catch (err) {
      // A write error names no file: name the log (fs-errors.ts reads `target`).
      if (typeof err === 'object' && err !== null) Object.assign(err, { target: this.file });
      this.failure = err;
    }
  }

  /** Throws the first write that failed, if one did. */
  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
