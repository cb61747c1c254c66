/**
 * The demo page: pick a backend, load a fine-tuned MaxPoolBERT folder (URL or files), classify
 * typed text, and fine-tune a model in the page with a live loss chart. Each panel is its own
 * module; this file wires them together.
 */
import '@maxpoolbert/heads';
import { BackendPanel } from './backend-panel.js';
import { ClassifyPanel } from './classify-panel.js';
import { CsvInput } from './csv-input.js';
import { FineTunePanel } from './finetune-panel.js';
import { ModelLoader } from './model-loader.js';
import { ModelStore } from './model-store.js';
import { renderModelSummary } from './model-summary.js';

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const store = new ModelStore();
  let loader: ModelLoader | null = null;
  const backend = new BackendPanel((info) => loader?.moveTo(info.name) ?? Promise.resolve());
  loader = new ModelLoader(store, backend);
  new ClassifyPanel(store, () => backend.ready());
  new FineTunePanel(store, backend, new CsvInput());
  store.addEventListener('change', () => renderModelSummary(store.current));

  await backend.start(params.get('backend') ?? 'auto');
  const modelUrl = params.get('model');
  if (modelUrl) {
    (document.querySelector('[data-testid="model-url"]') as HTMLInputElement).value = modelUrl;
    await loader.loadUrl(modelUrl);
  }
  document.body.dataset.ready = 'true';
}

main().catch((err) => {
  console.error(err);
  document.body.dataset.ready = 'error';
});
