import { promises as fsp } from 'node:fs';

export interface JsonLogTail {
  /** Reads what is left, then stops polling. */
  stop(): Promise<void>;
}

/**
 * Follows a JSON-lines file another process appends to (a compare child's `--json-log`): every
 * `everyMs` it reads the lines added since the last look and hands each parsed object to
 * `onRecord`. It starts at the file's current end, so lines from an earlier attempt of the run
 * are not replayed; a line still being written waits for its newline; an unparsable line is
 * skipped (the log is for progress, never a reason to fail a run).
 */
export async function tailJsonLog(file: string, onRecord: (record: Record<string, unknown>) => void, everyMs = 500): Promise<JsonLogTail> {
  let offset = (await fsp.stat(file).catch(() => null))?.size ?? 0;
  let partial = Buffer.alloc(0);
  let reading: Promise<void> = Promise.resolve();

  const readNew = async (): Promise<void> => {
    const handle = await fsp.open(file, 'r').catch(() => null);
    if (!handle) return;
    try {
      const { size } = await handle.stat();
      if (size < offset) offset = 0; // replaced by a new file: read it from the start
      if (size === offset) return;
      const buffer = Buffer.alloc(size - offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      offset += bytesRead;
      // Cut at the last newline in bytes, so a character split between two reads stays whole.
      const bytes = Buffer.concat([partial, buffer.subarray(0, bytesRead)]);
      const end = bytes.lastIndexOf(0x0a) + 1;
      partial = bytes.subarray(end);
      const lines = bytes.subarray(0, end).toString('utf8').split('\n');
      for (const line of lines) {
        if (!line.trim()) continue;
        let record: unknown;
        try {
          record = JSON.parse(line);
        } catch {
          continue;
        }
        if (record && typeof record === 'object' && !Array.isArray(record)) onRecord(record as Record<string, unknown>);
      }
    } finally {
      await handle.close();
    }
  };
  // One read at a time, in order: a slow read is never overtaken by the next poll.
  const poll = () => (reading = reading.then(readNew).catch(() => undefined));
  const timer = setInterval(poll, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await poll();
    },
  };
}
