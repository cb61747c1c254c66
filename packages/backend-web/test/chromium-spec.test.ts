import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { chromiumMissingReason, launchChromium, recordConsole } from '../../../testing/browser/chromium';
import { serveStatic, type StaticServer } from '../../../testing/browser/static-server';
import { FIXTURES_DIR } from '../../../testing/shared-fixtures';
import { backendSpecCases, type SpecResult } from '../../../testing/backend-spec/spec-cases';
import { HEADS_FIXTURE_NAMES } from '../../../testing/backend-spec/spec-fixtures';

/**
 * The shared backend spec (testing/backend-spec) in headless Debian Chromium, on WebGPU and
 * WebGL (both on SwiftShader here), through backend-web's built package as a page would use it.
 * Outside CI a machine without Chromium skips this file, saying why; in CI it fails instead.
 */
const missing = chromiumMissingReason();
if (missing) console.warn(`skipping the Chromium backend spec: ${missing}`);
const describeInChromium = missing ? describe.skip : describe;

/** Per backend: the largest error allowed against the reference (both compute in float32 here). */
const BACKENDS = [
  { name: 'webgpu', tolerance: 1e-4 },
  { name: 'webgl', tolerance: 1e-4 },
];
const CASES = backendSpecCases({ tolerance: 1e-4 }, HEADS_FIXTURE_NAMES).map((c) => c.name);
const ENTRY = path.resolve(__dirname, '../../../testing/backend-spec/browser-entry.ts');
const WASM_DIR = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist';

describeInChromium('the backend spec in Chromium', () => {
  let site: string;
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    site = fs.mkdtempSync(path.join(os.tmpdir(), 'maxpoolbert-spec-'));
    // Bundles the packages' built dist/ (as an app would), not their sources.
    await build({ entryPoints: [ENTRY], bundle: true, format: 'esm', platform: 'browser', outfile: path.join(site, 'spec.js'), logLevel: 'error' });
    fs.writeFileSync(path.join(site, 'index.html'), '<!doctype html><meta charset="utf-8"><title>backend spec</title><script type="module" src="spec.js"></script>\n');
    server = await serveStatic({ '/': site, '/fixtures/': FIXTURES_DIR, '/wasm/': WASM_DIR });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(site, { recursive: true, force: true });
  });

  describe.each(BACKENDS)('on $name', ({ name, tolerance }) => {
    let results: SpecResult[] = [];
    let log: string[] = [];

    beforeAll(async () => {
      const page = await browser.newPage();
      log = recordConsole(page);
      await page.goto(`${server.url}/?backend=${name}&tolerance=${tolerance}`);
      await page.waitForFunction(() => (window as unknown as { __backendSpec?: unknown }).__backendSpec, null, { timeout: 540_000, polling: 500 });
      const outcome = await page.evaluate(() => (window as unknown as { __backendSpec: { info?: { name: string }; results?: SpecResult[]; error?: string } }).__backendSpec);
      await page.close();
      process.stderr.write(log.filter((l) => l.includes(`[${name}]`)).join('\n') + '\n');
      if (outcome.error) throw new Error(`the spec page failed on ${name}: ${outcome.error}\n${log.join('\n')}`);
      expect(outcome.info?.name).toBe(name);
      results = outcome.results ?? [];
    }, 600_000);

    it.each(CASES)('%s', (caseName) => {
      const result = results.find((r) => r.name === caseName);
      // On failure this shows what the case measured, and the page's console.
      expect(result?.ok ? 'ok' : `${result?.detail ?? 'not run'}\n${log.join('\n')}`).toBe('ok');
    });
  });
});
