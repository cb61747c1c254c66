// Builds the native addon (build/Release/maxpoolbert_native.node) from source with node-gyp, the
// system compiler and oneDNN (Debian: libdnnl-dev). Without network: node-gyp is pointed at the
// Node headers installed next to this Node (--nodedir), so it never downloads them.
//
// Where it cannot build (no compiler, no libdnnl-dev), the package still installs: the reason
// goes to build/native-status.json, `maxpoolbert info` shows it, and everything runs on WASM.
// `--required` (npm run build:addon) fails instead.
//
// This is also the package's `install` script: without one, npm runs a bare `node-gyp rebuild`
// for any package that has a binding.gyp, and that failure aborts the whole `npm ci` on a
// machine without libdnnl-dev (measured: it did).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const required = process.argv.includes('--required');
const statusFile = path.join(root, 'build', 'native-status.json');
const addon = path.join(root, 'build', 'Release', 'maxpoolbert_native.node');
const INSTALL_HINT = 'apt-get install g++ libdnnl-dev (Debian/Ubuntu), then npm run build';

function writeStatus(status) {
  mkdirSync(path.dirname(statusFile), { recursive: true });
  const tmp = `${statusFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ ...status, at: new Date().toISOString() }, null, 2) + '\n');
  renameSync(tmp, statusFile);
}

function fail(reason) {
  writeStatus({ built: false, reason });
  const line = `@maxpoolbert/backend-native: native kernels not built (${reason}); the wasm backend will be used`;
  if (required) {
    console.error(line);
    process.exit(1);
  }
  console.warn(line);
  process.exit(0);
}

/** The newest modification time among the addon's sources, to skip an up-to-date rebuild. */
function newestSource() {
  const files = [path.join(root, 'binding.gyp'), ...readdirSync(path.join(root, 'native')).map((f) => path.join(root, 'native', f))];
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

if (process.env.MAXPOOLBERT_NATIVE_BUILD === 'skip') fail('MAXPOOLBERT_NATIVE_BUILD=skip was set');
if (process.platform !== 'linux' && process.platform !== 'darwin') fail(`not supported on ${process.platform} yet`);

if (existsSync(addon) && statSync(addon).mtimeMs > newestSource() && !process.argv.includes('--force')) {
  writeStatus({ built: true, upToDate: true });
  process.exit(0);
}

// Headers of the running Node: <prefix>/include/node (Debian's nodejs, nvm, the official tarballs).
const prefix = path.resolve(path.dirname(process.execPath), '..');
const nodedir = existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : process.env.npm_config_nodedir;
if (!nodedir || !existsSync(path.join(nodedir, 'include', 'node', 'node_api.h'))) {
  fail(`no Node headers next to ${process.execPath} (install your distribution's nodejs headers, e.g. Debian's libnode-dev, or set npm_config_nodedir)`);
}

const require = createRequire(import.meta.url);
const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
const jobs = String(Math.max(1, Math.min(4, (await import('node:os')).availableParallelism())));
const result = spawnSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodedir}`, '--jobs', jobs], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, npm_config_nodedir: nodedir },
});
if (result.status !== 0) {
  const log = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
  if (/dnnl\.h: No such file|cannot find -ldnnl/.test(log)) fail(`oneDNN is missing: ${INSTALL_HINT}`);
  if (/(c\+\+|g\+\+|make): (not found|No such file)|not found: make|Could not find any Visual Studio/i.test(log) || result.error) {
    fail(`no C++ toolchain (make, g++): ${INSTALL_HINT}`);
  }
  const lastError = log.split('\n').filter((l) => /error/i.test(l)).slice(-3).join(' | ') || `node-gyp exited with ${result.status}`;
  fail(`the build failed: ${lastError.slice(0, 400)}`);
}
writeStatus({ built: true });
console.log(`@maxpoolbert/backend-native: built ${path.relative(process.cwd(), addon)}`);
