// Atomic writes on a disk that cannot take the whole file: the kernel writes part of it and says
// so only in the byte count (the next write then fails with the reason). A file-size limit
// (`ulimit -f`, which Node turns into EFBIG rather than a fatal SIGXFSZ) shows it on any disk,
// the same way a filling disk does (ENOSPC). The old file or folder must stay whole, the error
// must name the target, and no temporary may be left. Runs the built dist in a child process.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const DIST = path.resolve(__dirname, '..', 'dist', 'atomic-write.js');
let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'maxpoolbert-limits-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** Runs `body` (an ES module snippet with the atomic-write exports in scope) under a 64 KiB file-size limit. */
function underFileSizeLimit(body: string): Record<string, unknown> {
  if (!fs.existsSync(DIST)) throw new Error(`${DIST} not found: build first (npx tsc -p packages/backend-node/tsconfig.build.json)`);
  const script = path.join(root, 'script.mjs');
  fs.writeFileSync(script, `import * as aw from ${JSON.stringify(DIST)};\nconst out = {};\n${body}\nconsole.log(JSON.stringify(out));\n`);
  // bash counts -f in 1024-byte blocks.
  const r = spawnSync('bash', ['-c', 'ulimit -f 64 && exec "$0" "$1"', process.execPath, script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

const catchInto = (key: string, call: string) =>
  `try { await ${call}; out.${key} = 'written'; } catch (e) { out.${key} = { code: e.code, target: e.target }; }`;

const temporaries = (dir: string) => fs.readdirSync(dir).filter((n) => n.includes('.tmp-'));

it('writeFileAtomic fails with EFBIG naming the target and keeps the old file', () => {
  const target = path.join(root, 'results.json');
  fs.writeFileSync(target, 'old content\n');
  const out = underFileSizeLimit(catchInto('file', `aw.writeFileAtomic(${JSON.stringify(target)}, [new Uint8Array(200 * 1024).fill(7)])`));
  expect(out.file).toEqual({ code: 'EFBIG', target });
  expect(fs.readFileSync(target, 'utf8')).toBe('old content\n');
  expect(temporaries(root)).toEqual([]);
});

it('writeFolderAtomic fails naming the folder and keeps the previous folder whole', () => {
  const folder = path.join(root, 'checkpoint');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'model.safetensors'), 'old weights');
  fs.writeFileSync(path.join(folder, 'trainer_state.json'), '{"step": 10}');
  const files = `new Map([['model.safetensors', [new Uint8Array(50 * 1024), new Uint8Array(150 * 1024)]], ['trainer_state.json', ['{"step": 20}']]])`;
  const out = underFileSizeLimit(catchInto('folder', `aw.writeFolderAtomic(${JSON.stringify(folder)}, ${files})`));
  expect(out.folder).toEqual({ code: 'EFBIG', target: folder });
  expect(fs.readdirSync(folder).sort()).toEqual(['model.safetensors', 'trainer_state.json']);
  expect(fs.readFileSync(path.join(folder, 'model.safetensors'), 'utf8')).toBe('old weights');
  expect(fs.readFileSync(path.join(folder, 'trainer_state.json'), 'utf8')).toBe('{"step": 10}');
  expect(temporaries(root)).toEqual([]);
});

it('AtomicFileWriter fails on the write that does not fit, and abort keeps the old file', () => {
  const target = path.join(root, 'out.jsonl');
  fs.writeFileSync(target, 'old\n');
  const out = underFileSizeLimit(`
    const w = await aw.AtomicFileWriter.open(${JSON.stringify(target)});
    ${catchInto('write', 'w.write(new Uint8Array(200 * 1024))')}
    await w.abort();`);
  expect(out.write).toEqual({ code: 'EFBIG', target });
  expect(fs.readFileSync(target, 'utf8')).toBe('old\n');
  expect(temporaries(root)).toEqual([]);
});

it('within the limit everything is written in full', () => {
  const target = path.join(root, 'small.bin');
  const out = underFileSizeLimit(catchInto('file', `aw.writeFileAtomic(${JSON.stringify(target)}, [new Uint8Array(40 * 1024).fill(1), 'tail'])`));
  expect(out.file).toBe('written');
  expect(fs.statSync(target).size).toBe(40 * 1024 + 4);
});
