// The package bundles for the browser with no Node built-ins: esbuild (platform "browser", as an
// app's bundler would) must resolve every import without `node:` modules or fs/path/..., and a
// page that trains must keep core's tfjs gradient registration.
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';

const packageDir = path.resolve(__dirname, '..');
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/**
 * Node modules that tfjs-backend-wasm's Emscripten glue (and tfjs-core's platform code) require
 * only when running in Node. Their package.json "browser" fields map them to `false`, which
 * esbuild bundles as empty stubs (inputs named "(disabled):fs"...): nothing of Node is in the
 * bundle, and nothing needs to be marked external.
 */
const DISABLED_BY_BROWSER_FIELD = new Set(['fs', 'path', 'os', 'worker_threads', 'perf_hooks', 'crypto', 'util', 'node-fetch']);

const common: BuildOptions = {
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2020',
  write: false,
  metafile: true,
  logLevel: 'silent',
  absWorkingDir: packageDir,
};

function checkNoNodeBuiltins(metafile: Metafile): void {
  const inputs = Object.keys(metafile.inputs);
  // "(disabled):fs", or "(disabled):../../node_modules/node-fetch/browser.js" for a package.
  const disabled = inputs
    .filter((p) => p.startsWith('(disabled):'))
    .map((p) => p.slice('(disabled):'.length))
    .map((p) => (p.includes('node_modules/') ? p.split('node_modules/').pop()!.split('/')[0] : p));
  const nodeInputs = inputs.filter((p) => !p.startsWith('(disabled):') && (p.startsWith('node:') || BUILTINS.has(p)));
  expect(nodeInputs).toEqual([]);
  expect(disabled.filter((m) => !DISABLED_BY_BROWSER_FIELD.has(m))).toEqual([]);
  // Nothing was left external (an unresolved "fs" would be an error on platform browser anyway).
  const external = Object.values(metafile.inputs).flatMap((i) => i.imports.filter((imp) => imp.external && imp.path !== '<runtime>').map((imp) => imp.path));
  expect(external).toEqual([]);
  for (const out of Object.values(metafile.outputs)) expect(out.imports.filter((i) => i.external)).toEqual([]);
}

it('src/index.ts bundles for the browser without Node built-ins', async () => {
  const result = await build({ ...common, entryPoints: ['src/index.ts'] });
  expect(result.errors).toEqual([]);
  checkNoNodeBuiltins(result.metafile!);
  const inputs = Object.keys(result.metafile!.inputs);
  // The four tfjs backends are in it (loaded with dynamic imports, which a splitting bundler
  // turns into separate chunks).
  for (const pkg of ['webgpu', 'webgl', 'wasm', 'cpu']) {
    expect(inputs.some((p) => p.includes(`@tensorflow/tfjs-backend-${pkg}/`))).toBe(true);
  }
});

it('a page that loads and fine-tunes a model keeps core\'s gradient registration', async () => {
  const result = await build({
    ...common,
    stdin: {
      contents: [
        "import { fineTune, loadClassifier } from '@maxpoolbert/core';",
        "import { useWebBackend, UrlModelSource } from './src/index';",
        'export const app = { fineTune, loadClassifier, useWebBackend, UrlModelSource };',
      ].join('\n'),
      resolveDir: packageDir,
      loader: 'ts',
      sourcefile: 'app.ts',
    },
  });
  expect(result.errors).toEqual([]);
  checkNoNodeBuiltins(result.metafile!);
  // tfjs-core 4.x registers gradients only through a side-effect import (core's
  // model/gradients.js → vendor/tfjs-gradients.js). A bundler drops such imports from a package
  // whose package.json says "sideEffects": false, and then tf.grad fails in the browser with
  // "gradient function not found": core's package.json must list those two files.
  const dropped = result.warnings.map((w) => w.text).filter((t) => /marked as having no side effects/.test(t));
  expect(dropped).toEqual([]);
  const output = Object.values(result.metafile!.outputs)[0];
  const vendored = Object.entries(output.inputs).find(([p]) => p.endsWith('vendor/tfjs-gradients.js'));
  expect(vendored?.[1].bytesInOutput ?? 0).toBeGreaterThan(10_000);
});
