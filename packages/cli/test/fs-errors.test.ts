// File-system errors become one line naming the path, what happened and the fix. The errors are
// the real ones fs calls throw here (a full device is /dev/full); EROFS, EACCES and EMFILE cannot
// be provoked without mounting, dropping root or exhausting descriptors, so those are built with
// the fields Node gives them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic, writeFolderAtomic } from '@maxpoolbert/backend-node';
import { describeFsError, isFsError } from '../src/fs-errors';
import { tempDir } from './run-cli';

const root = tempDir('mpb-fserr-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** The error `f` throws (it must throw). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

async function rejected(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

/** One line, no stack, no Node-style "CODE: message, syscall" text. */
function expectOneLine(message: string | null): string {
  expect(message).not.toBeNull();
  expect(message).not.toContain('\n');
  return message!;
}

it('ENOSPC from a write names no file in Node; the line says what happened and how to fix it', () => {
  const err = thrown(() => fs.writeFileSync('/dev/full', 'x'));
  expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
  const line = expectOneLine(describeFsError(err));
  expect(line).toBe('cannot write: no space left on the device (ENOSPC); free some space or choose a folder on another disk, then run again (a training run continues from its last checkpoint with --resume)');
});

it('EISDIR names the folder where a file was expected', () => {
  const err = thrown(() => fs.openSync(root, 'w'));
  expect(expectOneLine(describeFsError(err))).toBe(`cannot open ${root}: is a folder where a file is needed (EISDIR); remove or rename that folder, or choose another path`);
});

it('ENOTDIR names the file that stands where a folder should be, not just the path', () => {
  const file = path.join(root, 'a-file');
  fs.writeFileSync(file, 'x');
  const err = thrown(() => fs.mkdirSync(path.join(file, 'sub', 'deeper'), { recursive: true }));
  expect((err as NodeJS.ErrnoException).code).toBe('ENOTDIR');
  expect(expectOneLine(describeFsError(err))).toBe(
    `cannot create folder ${path.join(file, 'sub', 'deeper')}: ${file} is a file where a folder is needed (ENOTDIR); remove or rename that file, or choose another path`,
  );
});

it('ENOENT and EEXIST name the path', () => {
  const missing = path.join(root, 'missing', 'x.json');
  expect(describeFsError(thrown(() => fs.readFileSync(missing)))).toBe(`cannot open ${missing}: no such file or folder (ENOENT); check the path`);
  expect(describeFsError(thrown(() => fs.mkdirSync(root)))).toBe(`cannot create folder ${root}: already exists (EEXIST); remove it, or choose another path`);
});

it('a failed rename names both ends', () => {
  const from = path.join(root, 'from-dir');
  fs.mkdirSync(path.join(from, 'x'), { recursive: true });
  const to = path.join(root, 'to-dir');
  fs.mkdirSync(path.join(to, 'y'), { recursive: true });
  const err = thrown(() => fs.renameSync(from, to));
  expect(describeFsError(err)).toMatch(new RegExp(`^cannot move ${from} to ${to}: the folder is not empty \\((ENOTEMPTY|EEXIST)\\); `));
});

it('an atomic write names the file asked for, not its temporary', async () => {
  const target = path.join(root, 'results.json');
  fs.mkdirSync(target); // a folder where the file should go: the rename of the temporary fails
  const err = await rejected(writeFileAtomic(target, ['{}']));
  expect(expectOneLine(describeFsError(err))).toBe(`cannot write ${target}: is a folder where a file is needed (EISDIR); remove or rename that folder, or choose another path`);
  expect(fs.readdirSync(root).filter((n) => n.includes('.tmp-'))).toEqual([]);

  const file = path.join(root, 'plain-file');
  fs.writeFileSync(file, 'x');
  const folderErr = await rejected(writeFolderAtomic(path.join(file, 'checkpoint'), new Map([['a.txt', ['a']]])));
  // The parent is missing as a folder: backend-node says so itself, naming it.
  expect(String((folderErr as Error).message)).toContain(file);
});

it('codes that need mounts or other users to provoke: EROFS, EACCES, EMFILE, EFBIG', () => {
  const nodeError = (code: string, syscall: string, p?: string) =>
    Object.assign(new Error(`${code}: ..., ${syscall}${p ? ` '${p}'` : ''}`), { code, syscall, ...(p ? { path: p } : {}), errno: -1 });
  expect(describeFsError(nodeError('EROFS', 'mkdir', '/mnt/ro/out'))).toBe('cannot create folder /mnt/ro/out: the file system is read-only (EROFS); choose a folder on a writable disk');
  expect(describeFsError(nodeError('EACCES', 'open', '/etc/shadow'))).toBe('cannot open /etc/shadow: permission denied (EACCES); check its permissions, or choose another path');
  expect(describeFsError(nodeError('EMFILE', 'open', '/x'))).toMatch(/too many open files \(EMFILE\); raise the limit \(ulimit -n\)/);
  expect(describeFsError(Object.assign(nodeError('EFBIG', 'write'), { target: '/out/checkpoint' }))).toMatch(/^cannot write \/out\/checkpoint: file too large/);
});

it('anything that is not a file-system error is left to the caller', () => {
  expect(describeFsError(new Error('plain'))).toBeNull();
  expect(describeFsError(Object.assign(new Error('x'), { code: 'ERR_INVALID_ARG_TYPE' }))).toBeNull();
  expect(describeFsError('ENOSPC')).toBeNull();
  expect(isFsError(thrown(() => fs.openSync(root, 'w')))).toBe(true);
});
