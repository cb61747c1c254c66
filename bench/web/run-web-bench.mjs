// `npm run bench:web`: compiles run-web-bench.ts (it shares the test harness in testing/browser,
// which is TypeScript) into a temporary ES module and runs it.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(here, '.runner-'));
const outfile = join(dir, 'run-web-bench.mjs');
try {
  // packages: 'external' keeps node_modules out of the bundle; __dirname is patched back to here.
  await build({ entryPoints: [join(here, 'run-web-bench.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile, define: { __dirname: JSON.stringify(here) }, logLevel: 'error' });
  const { main } = await import(pathToFileURL(outfile).href);
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
