// Shared by build.mjs and serve.mjs: what esbuild bundles and which static files go beside it.
import { promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST_DIR = path.join(PACKAGE_DIR, 'dist');
/** The bert-base-uncased vocabulary the CLI ships; the page's fresh tiny BERT uses it. */
export const VOCAB_FILE = path.resolve(PACKAGE_DIR, '../cli/assets/bert-base-uncased-vocab.txt');

/**
 * Core's build bundles tfjs-core's gradient modules into dist/vendor for Node (see core's
 * scripts/bundle-tfjs-gradients.mjs); a browser bundle can take the originals, so tfjs-core's
 * ops are bundled once instead of twice.
 */
const gradientsFromTfjsCore = {
  name: 'tfjs-gradients-from-tfjs-core',
  setup(build) {
    build.onResolve({ filter: /\/vendor\/tfjs-gradients\.js$/ }, () => ({
      path: require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js'),
    }));
  },
};

/** esbuild options for the page: one ESM bundle for the script, one for the styles. */
export function buildOptions({ minify = true } = {}) {
  return {
    entryPoints: { main: path.join(PACKAGE_DIR, 'src/main.ts'), styles: path.join(PACKAGE_DIR, 'src/styles.css') },
    outdir: DIST_DIR,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify,
    sourcemap: true,
    metafile: true,
    legalComments: 'linked',
    logLevel: 'warning',
    plugins: [gradientsFromTfjsCore],
  };
}

/** index.html, the WASM binaries (for the wasm backend) and the vocabulary, next to the bundle. */
export async function copyStaticFiles() {
  await fsp.mkdir(path.join(DIST_DIR, 'wasm'), { recursive: true });
  await fsp.copyFile(path.join(PACKAGE_DIR, 'index.html'), path.join(DIST_DIR, 'index.html'));
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  const wasmFiles = (await fsp.readdir(wasmDir)).filter((f) => f.endsWith('.wasm'));
  if (wasmFiles.length === 0) throw new Error(`no .wasm files in ${wasmDir}`);
  for (const f of wasmFiles) await fsp.copyFile(path.join(wasmDir, f), path.join(DIST_DIR, 'wasm', f));
  await fsp.copyFile(VOCAB_FILE, path.join(DIST_DIR, 'bert-base-uncased-vocab.txt'));
}
