import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { recoverFolder } from '@maxpoolbert/backend-node';
import { CHECKPOINT_DIR } from './checkpoint.js';

/**
 * Removes a finished run's `checkpoint/` (weights plus optimizer moments: 3× the model) once
 * its results.json is written; best/ and results.json stay, and they are what a rerun of the
 * compare reads. The folder is first renamed out of the way (one step), so a kill during the
 * removal never leaves a half checkpoint that looks resumable; leftovers of such a kill are
 * removed the next time.
 */
export async function dropCheckpoint(runDir: string): Promise<void> {
  const dir = path.join(runDir, CHECKPOINT_DIR);
  await recoverFolder(dir); // a kill mid-swap left the previous checkpoint aside: it goes too
  const dropped = path.join(runDir, `.${CHECKPOINT_DIR}.dropped-${process.pid}`);
  if (await fsp.stat(dir).catch(() => null)) await fsp.rename(dir, dropped);
  for (const name of await fsp.readdir(runDir)) {
    if (name.startsWith(`.${CHECKPOINT_DIR}.dropped-`)) await fsp.rm(path.join(runDir, name), { recursive: true, force: true });
  }
}
