// Runs core's benchmarks in headless Debian Chromium on WebGPU and WebGL (SwiftShader here) and
// writes bench/results/web-<time>.{json,md}. Started by run-web-bench.mjs (which compiles this).
// Arguments: --backends=webgpu,webgl --runs=2 --only=mini-train|base-inference.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { build } from 'esbuild';
import { benchMarkdownTable, type BenchRecord } from '@maxpoolbert/core';
import { launchChromium, recordConsole } from '../../testing/browser/chromium';
import { serveStatic } from '../../testing/browser/static-server';

interface Job { backend: string; preset: string; mode: 'inference' | 'train'; head: string; batch: number; seq: number; warmup: number; runs: number }

const ROOT = path.resolve(__dirname, '..', '..');
const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const backends = (args.get('backends') ?? 'webgpu,webgl').split(',');
const runs = Number(args.get('runs') ?? 2);
// What issue 5's note asks for: a bert-mini training step and a bert-base forward pass at 8 × 128.
const only = args.get('only'); // e.g. --only=mini-train or --only=base-inference
const jobs: Job[] = backends.flatMap((backend) => [
  { backend, preset: 'mini', mode: 'train' as const, head: 'cls', batch: 8, seq: 128, warmup: 1, runs },
  { backend, preset: 'base', mode: 'inference' as const, head: 'cls', batch: 8, seq: 128, warmup: 1, runs },
]).filter((j) => !only || only === `${j.preset}-${j.mode}`);

/** Writes what has been measured so far: a slow SwiftShader job cut short loses nothing else. */
function writeResults(out: string, records: BenchRecord[], failures: { job: Job; error: string }[]): void {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const json = { kind: 'maxpoolbert-web-bench', createdAt: new Date().toISOString(), browser: 'Debian chromium (headless)', records, failures };
  fs.writeFileSync(`${out}.json`, JSON.stringify(json, null, 2) + '\n');
  const failed = failures.map((f) => `- ${f.job.backend} ${f.job.preset} ${f.job.mode} ${f.job.batch}×${f.job.seq}: ${f.error.split('\n')[0]}`);
  fs.writeFileSync(`${out}.md`, `# Browser benchmarks (${json.createdAt})\n\n${benchMarkdownTable(records)}\n${failed.length ? `\nFailed:\n${failed.join('\n')}\n` : ''}`);
}

export async function main(): Promise<void> {
  const site = fs.mkdtempSync(path.join(ROOT, 'bench', 'web', '.site-'));
  await build({ entryPoints: [path.join(__dirname, 'entry.ts')], bundle: true, format: 'esm', platform: 'browser', outfile: path.join(site, 'bench.js'), logLevel: 'error' });
  fs.writeFileSync(path.join(site, 'index.html'), '<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="bench.js"></script>\n');
  const wasmDir = path.join(path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  const server = await serveStatic({ '/': site, '/wasm/': wasmDir });
  let browser = await launchChromium();
  const records: (BenchRecord & { backend: string; device: string })[] = [];
  const failures: { job: Job; error: string }[] = [];
  const out = path.join(ROOT, 'bench', 'results', `web-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  try {
    for (const [i, job] of jobs.entries()) {
      const started = Date.now();
      const seconds = () => ((Date.now() - started) / 1000).toFixed(0);
      process.stderr.write(`[${i + 1}/${jobs.length}] ${job.backend} ${job.preset} ${job.mode} ${job.batch}×${job.seq} … `);
      if (!browser.isConnected()) browser = await launchChromium(); // a crashed GPU process can take the browser with it
      const page = await browser.newPage();
      const log = recordConsole(page);
      try {
        await page.goto(`${server.url}/?${new URLSearchParams(Object.entries(job).map(([k, v]) => [k, String(v)]))}`);
        await page.waitForFunction(() => (window as unknown as { __bench?: unknown }).__bench, null, { timeout: 1_800_000, polling: 1000 });
        const outcome = await page.evaluate(() => (window as unknown as { __bench: { record?: BenchRecord & { backend: string; device: string }; error?: string } }).__bench);
        if (!outcome.record) throw new Error(outcome.error);
        records.push(outcome.record);
        process.stderr.write(`median ${outcome.record.timing.medianMs.toFixed(0)} ms (${seconds()} s in all)\n`);
      } catch (err) {
        const error = `${(err as Error).message}${log.length ? `\n${log.join('\n')}` : ''}`;
        failures.push({ job, error });
        process.stderr.write(`failed after ${seconds()} s: ${error}\n`);
      } finally {
        await page.close().catch(() => undefined);
      }
      writeResults(out, records, failures);
    }
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(site, { recursive: true, force: true });
  }
  process.stdout.write(`${benchMarkdownTable(records)}\n\nwrote ${out}.json and .md\n`);
}

