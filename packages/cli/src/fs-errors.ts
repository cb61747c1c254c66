import { statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * File-system errors as one line a user can act on: which path, what happened, what to do.
 * Node's own messages ("ENOSPC: no space left on device, write") name no file for a failed
 * write, the temporary for an atomic one, and read as a crash when printed raw.
 */

interface Meaning {
  what: string;
  fix: string;
}

const NO_SPACE_FIX = 'free some space or choose a folder on another disk, then run again (a training run continues from its last checkpoint with --resume)';
const PERMISSION_FIX = 'check its permissions, or choose another path';

const MEANINGS: Record<string, Meaning> = {
  ENOENT: { what: 'no such file or folder', fix: 'check the path' },
  EACCES: { what: 'permission denied', fix: PERMISSION_FIX },
  EPERM: { what: 'operation not permitted', fix: PERMISSION_FIX },
  EROFS: { what: 'the file system is read-only', fix: 'choose a folder on a writable disk' },
  ENOSPC: { what: 'no space left on the device', fix: NO_SPACE_FIX },
  EDQUOT: { what: 'disk quota exceeded', fix: NO_SPACE_FIX },
  EFBIG: { what: 'file too large for the file system or the file-size limit (ulimit -f)', fix: 'raise the limit or choose a folder on another disk' },
  EISDIR: { what: 'is a folder where a file is needed', fix: 'remove or rename that folder, or choose another path' },
  ENOTDIR: { what: 'a part of the path is a file where a folder is needed', fix: 'remove or rename that file, or choose another path' },
  EEXIST: { what: 'already exists', fix: 'remove it, or choose another path' },
  ENOTEMPTY: { what: 'the folder is not empty', fix: 'empty or remove it, or choose another path' },
  EMFILE: { what: 'too many open files', fix: 'raise the limit (ulimit -n) or run fewer runs at a time (--parallel)' },
  ENFILE: { what: 'too many open files on the system', fix: 'close other programs or run fewer runs at a time (--parallel)' },
  ENAMETOOLONG: { what: 'the path is too long', fix: 'use a shorter path' },
  ELOOP: { what: 'too many levels of symbolic links', fix: 'check the links in the path' },
  EIO: { what: 'input/output error (a failing or disconnected disk?)', fix: 'check the disk, then run again' },
  EBUSY: { what: 'the file or folder is busy', fix: 'stop what is using it, then run again' },
  EXDEV: { what: 'cannot move across file systems', fix: 'keep the folder on one disk' },
};

/** What the failed call was doing, as the start of the message. */
const VERBS: Record<string, string> = {
  open: 'cannot open', read: 'cannot read', write: 'cannot write', mkdir: 'cannot create folder', rmdir: 'cannot remove',
  unlink: 'cannot remove', rm: 'cannot remove', rename: 'cannot move', scandir: 'cannot list', copyfile: 'cannot copy',
  fsync: 'cannot write', close: 'cannot write', ftruncate: 'cannot write',
};

type FsError = NodeJS.ErrnoException & { target?: string; dest?: string };

function asFsError(err: unknown): FsError | null {
  // Not `instanceof Error`: errors from Node's fs may come from another realm (vm contexts, Jest).
  if (typeof err !== 'object' || err === null) return null;
  const code = (err as FsError).code;
  return typeof code === 'string' && code in MEANINGS ? (err as FsError) : null;
}

/** The first part of `p` that exists but is not a folder (what an ENOTDIR is about), if any. */
function fileInPath(p: string): string | undefined {
  const parts = path.resolve(p).split(path.sep);
  for (let i = 2; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join(path.sep) || path.sep;
    const stat = statSync(prefix, { throwIfNoEntry: false });
    if (!stat) return undefined;
    if (!stat.isDirectory()) return prefix;
  }
  return undefined;
}

/** Whether `err` is a file-system error this module can describe. */
export function isFsError(err: unknown): boolean {
  return asFsError(err) !== null;
}

/**
 * One line for a file-system error: "cannot write /out/checkpoint: no space left on the device
 * (ENOSPC); free some space …". Atomic writes name the file the caller asked for (`target`), not
 * their temporary. Null for anything else.
 */
export function describeFsError(err: unknown): string | null {
  const e = asFsError(err);
  if (!e) return null;
  const meaning = MEANINGS[e.code!]!;
  const verb = e.target ? 'cannot write' : (VERBS[e.syscall ?? ''] ?? 'cannot access');
  let where = e.target ?? e.path;
  if (!e.target && e.syscall === 'rename' && e.path && e.dest) where = `${e.path} to ${e.dest}`;
  let what = meaning.what;
  if (e.code === 'ENOTDIR' && (e.target ?? e.path)) {
    const file = fileInPath(e.target ?? e.path!);
    if (file) what = `${file} is a file where a folder is needed`;
  }
  return `${verb}${where ? ` ${where}` : ''}: ${what} (${e.code}); ${meaning.fix}`;
}
