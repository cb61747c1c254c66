// Builds the page and serves dist/ on http://localhost:5173 (rebuilt when the sources change).
// localhost is a secure context, which WebGPU needs. PORT overrides the port.
import { context } from 'esbuild';
import { buildOptions, copyStaticFiles, DIST_DIR } from './build-config.mjs';

const port = Number(process.env.PORT ?? 5173);
const ctx = await context(buildOptions());
await ctx.rebuild();
await copyStaticFiles();
await ctx.watch();
const { port: actual } = await ctx.serve({ servedir: DIST_DIR, host: 'localhost', port });
console.log(`MaxPoolBERT demo: http://localhost:${actual}/  (Ctrl+C to stop)`);
console.log(`  load a model folder: http://localhost:${actual}/?model=<URL of a folder served with CORS>`);
