// Builds the demo page into dist/: node scripts/build.mjs
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { buildOptions, copyStaticFiles, DIST_DIR } from './build-config.mjs';

await fsp.rm(DIST_DIR, { recursive: true, force: true });
const result = await build(buildOptions());
await copyStaticFiles();
await fsp.writeFile(path.join(DIST_DIR, 'meta.json'), JSON.stringify(result.metafile));
const sizes = Object.entries(result.metafile.outputs)
  .filter(([file]) => !file.endsWith('.map'))
  .map(([file, o]) => `${path.relative(DIST_DIR, file)} ${(o.bytes / 1024).toFixed(0)} KiB`);
console.log(`built ${path.relative(process.cwd(), DIST_DIR) || DIST_DIR}: ${sizes.join(', ')}`);
