/**
 * End to end: the built page (dist/) in headless Chromium. It loads a reference checkpoint by
 * file picker and another by URL, classifies texts against the reference logits, fine-tunes a
 * fresh tiny BERT on the built-in sample with a live loss chart, downloads the trained model as
 * a zip, and saves a full-page screenshot (ARTIFACTS_DIR or <repo>/artifacts/demo-web.png).
 * Nx builds the page first (test depends on build).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissingReason, launchChromium, recordConsole } from '../../../testing/browser/chromium';
import { serveStatic, type StaticServer } from '../../../testing/browser/static-server';
import { FIXTURES_DIR, HEADS_FIXTURES_DIR } from '../../../testing/shared-fixtures';

const PACKAGE_DIR = path.resolve(__dirname, '..');
const DIST_DIR = path.join(PACKAGE_DIR, 'dist');
const REPO_DIR = path.resolve(PACKAGE_DIR, '..', '..');
const ARTIFACTS_DIR = path.resolve(process.env.ARTIFACTS_DIR ?? path.join(REPO_DIR, 'artifacts'));
const MAX_SEQ_MHA = 'max-seq-mha-k2-h4-pooler-2labels';
const CLS = 'cls-k1-h4-pooler-2labels';
/** The fine-tuning run: 24 sample rows, batch 8 → 3 steps per epoch, 30 steps. */
const TRAIN = { epochs: 10, batch: 8, lr: '0.001', maxLength: 32 };
const TRAIN_STEPS = Math.ceil(24 / TRAIN.batch) * TRAIN.epochs;

interface Expected { text: string; text_pair?: string; logits: number[] }

function readExpected(fixture: string): Expected[] {
  return fs.readFileSync(path.join(HEADS_FIXTURES_DIR, fixture, 'expected.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Expected);
}

function softmax(logits: number[]): number[] {
  const m = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const missing = chromiumMissingReason();
if (missing) console.warn(`skipping the demo-web browser test: ${missing}`);
const maybe = missing ? describe.skip : describe;

maybe('demo-web in headless Chromium', () => {
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  let consoleLines: string[] = [];
  const started = Date.now();

  /** Runs one part of the walk-through; a failure carries the page's console output. */
  async function step(name: string, fn: () => Promise<void>): Promise<void> {
    const t0 = Date.now();
    try {
      await fn();
      console.log(`demo-web e2e: ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    } catch (err) {
      const shot = path.join(ARTIFACTS_DIR, 'demo-web-failure.png');
      await page?.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(`${name}: ${message}\n(screenshot: ${shot})\n--- page console ---\n${consoleLines.join('\n') || '(nothing)'}`);
    }
  }

  /** Waits until data-<attr> of a test id is one of `values`; the element's text says why when it is an error. */
  async function waitForData(testId: string, attr: string, values: string[], timeout: number): Promise<string> {
    const handle = await page.waitForFunction(
      ([id, a, vs]) => {
        const node = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
        const v = node?.dataset[a];
        return v !== undefined && vs.includes(v) ? v : null;
      },
      [testId, attr, values] as const,
      { timeout, polling: 100 },
    );
    return (await handle.jsonValue()) as string;
  }

  async function text(testId: string): Promise<string> {
    return (await page.getByTestId(testId).textContent()) ?? '';
  }

  /** Types a text, classifies it (Enter or the button) and reads the bars. */
  async function classify(input: string, via: 'enter' | 'button' = 'button') {
    const results = page.getByTestId('classify-results');
    const before = Number(await results.getAttribute('data-count'));
    await page.getByTestId('classify-text').fill(input);
    if (via === 'enter') await page.getByTestId('classify-text').press('Enter');
    else await page.getByTestId('classify-button').click();
    await page.waitForFunction(
      (n) => {
        const r = document.querySelector<HTMLElement>('[data-testid="classify-results"]')!;
        return Number(r.dataset.count) > n || r.dataset.state === 'error';
      },
      before,
      { timeout: 60_000 },
    );
    if ((await results.getAttribute('data-state')) === 'error') throw new Error(`classify failed: ${await text('classify-status')}`);
    const rows = await page.$$eval('[data-testid="prob-row"]', (els) =>
      els.map((e) => ({ label: (e as HTMLElement).dataset.label!, probability: Number((e as HTMLElement).dataset.probability), shown: e.querySelector('.value')?.textContent ?? '' })),
    );
    return { rows, numTensors: Number(await results.getAttribute('data-num-tensors')) };
  }

  async function expectMatchesReference(fixture: string, picks: number[]) {
    const expected = readExpected(fixture);
    for (const [n, i] of picks.entries()) {
      const { rows } = await classify(expected[i].text, n === 0 ? 'enter' : 'button');
      const want = softmax(expected[i].logits);
      expect(rows.map((r) => r.label)).toEqual(['LABEL_0', 'LABEL_1']);
      rows.forEach((r, j) => {
        expect({ text: expected[i].text, label: r.label, diff: Math.abs(r.probability - want[j]) < 1e-3 }).toEqual({ text: expected[i].text, label: r.label, diff: true });
        expect(r.shown).toBe(r.probability.toFixed(4));
      });
    }
  }

  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST_DIR, 'index.html')) || !fs.existsSync(path.join(DIST_DIR, 'main.js'))) {
      throw new Error(`the page is not built (${DIST_DIR}): run "npm run build -w @maxpoolbert/demo-web" (nx test builds it first)`);
    }
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    server = await serveStatic({ '/': DIST_DIR, '/fixtures/': FIXTURES_DIR });
    browser = await launchChromium();
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 } });
    page = await context.newPage();
    consoleLines = recordConsole(page);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    console.log(`demo-web e2e: total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('starts the default backend (WebGPU or WebGL here)', async () => {
    await step('open the page', async () => {
      await page.goto(`${server.url}/`);
      const state = await waitForData('backend-panel', 'state', ['ready', 'error'], 60_000);
      if (state === 'error') throw new Error(`no backend started: ${await text('backend-error')}`);
      const name = await text('backend-name');
      console.log(`demo-web e2e: backend ${name} (${await text('backend-device')})`);
      expect(['webgpu', 'webgl']).toContain(name);
      // Every backend is listed with whether it can start here.
      for (const b of ['webgpu', 'webgl', 'wasm', 'cpu']) await expect(page.getByTestId(`backend-probe-${b}`).count()).resolves.toBe(1);
    });
  }, 90_000);

  it('loads a checkpoint through the file picker and classifies like the reference', async () => {
    await step('load max-seq-mha by file picker', async () => {
      const dir = path.join(HEADS_FIXTURES_DIR, MAX_SEQ_MHA);
      const files = fs.readdirSync(dir).filter((f) => f !== 'expected.jsonl').map((f) => path.join(dir, f));
      await page.getByTestId('model-files').setInputFiles(files);
      await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="model-summary"]')?.dataset.head === 'max-seq-mha'
        || document.querySelector<HTMLElement>('[data-testid="model-status"]')?.dataset.kind === 'error', undefined, { timeout: 60_000 });
      const summary = page.getByTestId('model-summary');
      if ((await summary.getAttribute('data-head')) !== 'max-seq-mha') throw new Error(`load failed: ${await text('model-status')}`);
      expect(await summary.getAttribute('data-layers')).toBe('2');
      expect(await summary.getAttribute('data-hidden-size')).toBe('32');
      expect(JSON.parse((await summary.getAttribute('data-labels'))!)).toEqual(['LABEL_0', 'LABEL_1']);
    });
    await step('classify three reference texts', async () => {
      await expectMatchesReference(MAX_SEQ_MHA, [0, 1, 4]);
      // The same input twice leaves the same number of tensors: nothing leaks per call.
      const a = await classify('Hello, world!');
      const b = await classify('Hello, world!');
      expect(b.numTensors).toBe(a.numTensors);
    });
  }, 120_000);

  it('loads a checkpoint from a URL with a progress bar, caches it, and loads ?model=URL from the cache', async () => {
    const url = () => `${server.url}/fixtures/heads/${CLS}/`;
    await step('load cls by URL (cache on)', async () => {
      await page.getByTestId('model-cache').check();
      await page.getByTestId('model-url').fill(url());
      await page.getByTestId('model-url-load').click();
      const state = await waitForData('model-progress', 'state', ['done', 'error'], 60_000);
      if (state === 'error') throw new Error(`URL load failed: ${await text('model-status')}`);
      const progress = page.getByTestId('model-progress');
      expect(await progress.getAttribute('data-percent')).toBe('100');
      expect(await page.getByTestId('model-progress-text').textContent()).toContain('100%');
      expect(Number(await progress.getAttribute('data-loaded'))).toBeGreaterThan(4_000_000);
      expect(await page.getByTestId('model-summary').getAttribute('data-head')).toBe('cls');
      expect(await page.getByTestId('model-summary').getAttribute('data-origin')).toBe(url());
    });
    await step('classify a reference text with the cls model', async () => {
      await expectMatchesReference(CLS, [1]);
    });
    await step('reload the page with ?model=URL: it loads from the cache, without the network', async () => {
      const fetched: string[] = [];
      const onRequest = (r: { url(): string }) => {
        if (r.url().includes(`/fixtures/heads/${CLS}/`)) fetched.push(r.url());
      };
      page.on('request', onRequest);
      await page.goto(`${server.url}/?model=${encodeURIComponent(url())}`);
      await page.waitForFunction(() => document.body.dataset.ready !== undefined, undefined, { timeout: 60_000 });
      page.off('request', onRequest);
      expect(await page.evaluate(() => document.body.dataset.ready)).toBe('true');
      expect(await page.getByTestId('model-summary').getAttribute('data-origin')).toBe(url());
      expect(await page.getByTestId('model-progress').getAttribute('data-percent')).toBe('100');
      expect(fetched).toEqual([]);
      await expectMatchesReference(CLS, [2]);
      await page.getByTestId('model-cache-clear').click();
      await page.waitForFunction(() => /cleared|could not/.test(document.querySelector('[data-testid="model-status"]')?.textContent ?? ''), undefined, { timeout: 10_000 });
      expect(await text('model-status')).toBe('cleared the models cached in this browser');
      await page.getByTestId('model-cache').uncheck();
    });
  }, 180_000);

  /** Picks a backend in the selector and waits until it runs. */
  async function switchBackend(choice: string): Promise<string> {
    await page.getByTestId('backend-select').selectOption(choice);
    await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('[data-testid="backend-select"]')?.disabled === false, undefined, { timeout: 60_000 });
    const state = await waitForData('backend-panel', 'state', ['ready', 'error'], 60_000);
    if (state === 'error') throw new Error(`${choice} did not start: ${await text('backend-error')}`);
    return text('backend-name');
  }

  async function fillTraining(epochs: number) {
    await page.getByTestId('train-start').selectOption('fresh');
    await page.getByTestId('train-head').selectOption('max-seq-mha');
    await page.getByTestId('train-epochs').fill(String(epochs));
    await page.getByTestId('train-batch').fill(String(TRAIN.batch));
    await page.getByTestId('train-lr').fill(TRAIN.lr);
    await page.getByTestId('train-max-length').fill(String(TRAIN.maxLength));
  }

  it('switches to WASM and keeps the loaded model working', async () => {
    // Fine-tuning runs on WASM: WebGPU on SwiftShader (a CPU emulation) takes 15-50 s per step
    // for the tiny BERT, WASM about 0.3 s.
    await step('switch to wasm', async () => {
      expect(await switchBackend('wasm')).toBe('wasm');
      await expectMatchesReference(CLS, [1]);
    });
  }, 120_000);

  it('stops a training run with the Stop button', async () => {
    await step('stop', async () => {
      await page.getByTestId('csv-sample').click();
      await expect(text('csv-summary')).resolves.toBe('24 examples · negative 12, positive 12');
      await fillTraining(20);
      await page.getByTestId('train-button').click();
      await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-testid="train-status"]')?.dataset.step) >= 2
        || document.querySelector<HTMLElement>('[data-testid="train-status"]')?.dataset.state === 'error', undefined, { timeout: 120_000 });
      await page.getByTestId('train-stop').click();
      const state = await waitForData('train-status', 'state', ['done', 'stopped', 'error'], 120_000);
      expect({ state, status: await text('train-status') }).toMatchObject({ state: 'stopped' });
      const steps = Number(await page.getByTestId('loss-chart').getAttribute('data-points'));
      expect(steps).toBeGreaterThanOrEqual(2);
      expect(steps).toBeLessThan(Math.ceil(24 / TRAIN.batch) * 20);
      expect(await page.getByTestId('model-summary').getAttribute('data-origin')).toContain('stopped early');
    });
  }, 180_000);

  it('fine-tunes a fresh tiny BERT on the sample with a live loss chart', async () => {
    await step('fine-tune', async () => {
      await fillTraining(TRAIN.epochs);
      await page.getByTestId('train-button').click();
      // The chart grows while training runs.
      await page.waitForFunction(() => Number(document.querySelector<SVGElement>('[data-testid="loss-chart"]')?.dataset.points) >= 2
        || document.querySelector<HTMLElement>('[data-testid="train-status"]')?.dataset.state === 'error', undefined, { timeout: 120_000 });
      const state = await waitForData('train-status', 'state', ['done', 'stopped', 'error'], 240_000);
      if (state !== 'done') throw new Error(`training ended "${state}": ${await text('train-status')}`);
      console.log(`demo-web e2e: ${await text('train-status')}`);
      const chart = page.getByTestId('loss-chart');
      const losses = JSON.parse((await chart.getAttribute('data-losses'))!) as number[];
      const pointLosses = await page.$$eval('[data-testid="loss-point"]', (els) => els.map((e) => Number((e as SVGElement).dataset.loss)));
      expect(losses).toHaveLength(TRAIN_STEPS);
      expect(pointLosses).toEqual(losses);
      expect(await chart.getAttribute('data-total-steps')).toBe(String(TRAIN_STEPS));
      console.log(`demo-web e2e: losses ${losses.map((l) => l.toFixed(3)).join(' ')}`);
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(mean(losses.slice(-3))).toBeLessThan(mean(losses.slice(0, 3)));
      const summary = page.getByTestId('model-summary');
      expect(await summary.getAttribute('data-head')).toBe('max-seq-mha');
      expect(await summary.getAttribute('data-hidden-size')).toBe('128');
      expect(JSON.parse((await summary.getAttribute('data-labels'))!)).toEqual(['negative', 'positive']);
    });
    await step('classify with the trained model, on wasm and back on the default backend', async () => {
      const probe = 'a wonderful and clever film';
      const onWasm = await classify(probe);
      expect(onWasm.rows.map((r) => r.label)).toEqual(['negative', 'positive']);
      expect(Math.abs(onWasm.rows[0].probability + onWasm.rows[1].probability - 1)).toBeLessThan(1e-5);
      const gpu = await switchBackend('auto');
      const onGpu = await classify(probe);
      console.log(`demo-web e2e: "${probe}" → wasm ${onWasm.rows.map((r) => `${r.label} ${r.shown}`).join(', ')}; ${gpu} ${onGpu.rows.map((r) => `${r.label} ${r.shown}`).join(', ')}`);
      onGpu.rows.forEach((r, i) => expect(Math.abs(r.probability - onWasm.rows[i].probability)).toBeLessThan(1e-3));
    });
  }, 300_000);

  it('downloads the trained model as a zip folder', async () => {
    await step('download', async () => {
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('download-button').click()]);
      expect(download.suggestedFilename()).toBe('maxpoolbert-max-seq-mha.zip');
      const zipPath = await download.path();
      const entries = unzipSync(new Uint8Array(fs.readFileSync(zipPath)));
      const names = Object.keys(entries).map((n) => n.split('/').pop());
      expect(names).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'vocab.txt']));
      const configEntry = Object.keys(entries).find((n) => n.endsWith('/config.json') || n === 'config.json')!;
      const config = JSON.parse(new TextDecoder().decode(entries[configEntry]));
      expect(config.maxpoolbert_head.type).toBe('max-seq-mha');
      expect(config.id2label).toEqual({ 0: 'negative', 1: 'positive' });
      expect(config.num_hidden_layers).toBe(2);
      expect(config.hidden_size).toBe(128);
    });
  }, 90_000);

  it('raised no uncaught errors in the page', () => {
    // 404s for optional tokenizer files (tokenizer.json…) are how the URL loader finds out they are absent.
    const errors = consoleLines.filter((l) => l.startsWith('[pageerror]'));
    expect(errors).toEqual([]);
  });

  it('saves a full-page screenshot', async () => {
    await step('screenshot', async () => {
      const file = path.join(ARTIFACTS_DIR, 'demo-web.png');
      await page.screenshot({ path: file, fullPage: true });
      expect(fs.statSync(file).size).toBeGreaterThan(10_000);
      console.log(`demo-web e2e: screenshot ${file}`);
    });
  }, 60_000);
});
