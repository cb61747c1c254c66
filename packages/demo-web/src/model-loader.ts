import { loadClassifier, type ModelSource } from '@maxpoolbert/core';
import { FileListModelSource, ModelCache, UrlModelSource } from '@maxpoolbert/backend-web';
import type { BackendPanel } from './backend-panel.js';
import { byTestId, errorText, nextFrame, setStatus } from './dom.js';
import type { ModelStore } from './model-store.js';

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

const CACHE_SETTING = 'maxpoolbert-demo:cache-models';

/** localStorage, where the browser allows it (not in some private modes or sandboxed frames). */
function readSetting(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeSetting(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // not remembered, which is fine
  }
}

/**
 * Loads a fine-tuned model folder into the store: from a URL (with a progress bar, and
 * optionally cached in IndexedDB), or from files / a folder the user picks.
 */
export class ModelLoader {
  private readonly form = byTestId<HTMLFormElement>('model-url-form');
  private readonly urlInput = byTestId<HTMLInputElement>('model-url');
  private readonly cacheBox = byTestId<HTMLInputElement>('model-cache');
  private readonly clearButton = byTestId<HTMLButtonElement>('model-cache-clear');
  private readonly progress = byTestId<HTMLProgressElement>('model-progress');
  private readonly progressText = byTestId('model-progress-text');
  private readonly filesInput = byTestId<HTMLInputElement>('model-files');
  private readonly folderInput = byTestId<HTMLInputElement>('model-folder');
  private readonly status = byTestId('model-status');
  private loading = false;
  /** Only the load in progress moves the bar (a later re-read of the same source does not). */
  private progressToken = 0;

  constructor(private readonly store: ModelStore, private readonly backend: BackendPanel) {
    // The choice to cache is remembered, so `?model=URL` loads from the cache next time.
    this.cacheBox.checked = readSetting(CACHE_SETTING) === '1';
    this.cacheBox.addEventListener('change', () => writeSetting(CACHE_SETTING, this.cacheBox.checked ? '1' : '0'));
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.loadUrl(this.urlInput.value.trim());
    });
    this.clearButton.addEventListener('click', () => void this.clearCache());
    for (const input of [this.filesInput, this.folderInput]) {
      input.addEventListener('change', () => {
        const files = Array.from(input.files ?? []);
        input.value = '';
        if (files.length) void this.loadFiles(files, input === this.folderInput);
      });
    }
  }

  async loadUrl(url: string): Promise<boolean> {
    if (this.loading) {
      setStatus(this.status, 'a model is already loading', 'error');
      return false;
    }
    if (!url) {
      setStatus(this.status, 'enter the URL of a model folder', 'error');
      return false;
    }
    const base = url.endsWith('/') ? url : `${url}/`;
    let cache: ModelCache | undefined;
    if (this.cacheBox.checked) {
      try {
        cache = await ModelCache.open();
      } catch (err) {
        setStatus(this.status, `no cache (IndexedDB unavailable: ${errorText(err)}); loading without it`);
      }
    }
    const token = ++this.progressToken;
    this.showProgress(0, null);
    const onProgress = (p: { loadedAll: number; totalAll: number | null }) => {
      if (token === this.progressToken) this.showProgress(p.loadedAll, p.totalAll);
    };
    const ok = await this.load(`downloading ${base}`, base, () => UrlModelSource.open(base, { cache, onProgress }));
    this.progressToken++;
    if (ok) {
      this.finishProgress();
      const params = new URLSearchParams(location.search);
      params.set('model', url);
      history.replaceState(null, '', `?${params}`);
    } else {
      this.progress.dataset.state = 'error';
    }
    return ok;
  }

  async loadFiles(files: File[], folder: boolean): Promise<boolean> {
    const top = folder ? files[0].webkitRelativePath.split('/')[0] : '';
    const origin = folder && top ? `folder "${top}"` : `${files.length} picked file${files.length === 1 ? '' : 's'}`;
    return this.load(`reading ${origin}`, origin, async () => FileListModelSource.fromFiles(files, folder && top ? top : 'picked files'));
  }

  private async load(doing: string, origin: string, open: () => Promise<ModelSource>): Promise<boolean> {
    if (this.loading) {
      setStatus(this.status, 'a model is already loading', 'error');
      return false;
    }
    this.loading = true;
    const summary = byTestId('model-summary');
    summary.dataset.state = 'loading';
    setStatus(this.status, `${doing}…`);
    try {
      const info = await this.backend.ready();
      const source = await open();
      setStatus(this.status, `building the model on ${info.name}…`);
      await nextFrame();
      const started = performance.now();
      const loaded = await loadClassifier(source, { trainable: false });
      this.store.set({ loaded, source, origin, backend: info.name });
      // The weights now live in tfjs; a URL source lets go of its copy (fine-tuning reads it again).
      if (source instanceof UrlModelSource) source.release();
      setStatus(this.status, `loaded ${origin} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return true;
    } catch (err) {
      summary.dataset.state = this.store.current ? 'loaded' : 'empty';
      setStatus(this.status, `could not load ${origin}: ${errorText(err)}`, 'error');
      console.error(err);
      return false;
    } finally {
      this.loading = false;
    }
  }

  private showProgress(loaded: number, total: number | null): void {
    this.progress.dataset.state = 'loading';
    this.progress.dataset.loaded = String(loaded);
    this.progress.dataset.total = total === null ? '' : String(total);
    if (total) {
      const fraction = Math.min(1, loaded / total);
      this.progress.value = fraction;
      this.progress.dataset.percent = String(Math.round(fraction * 100));
      this.progressText.textContent = `${formatBytes(loaded)} of ${formatBytes(total)} (${Math.round(fraction * 100)}%)`;
    } else {
      this.progress.removeAttribute('value');
      this.progressText.textContent = `${formatBytes(loaded)}`;
    }
  }

  /**
   * Rebuilds the current model on a newly started backend from its folder (a URL source reads
   * it again, from the cache when it has one). Errors are shown, not thrown: the switch itself worked.
   */
  async moveTo(backendName: string): Promise<void> {
    const current = this.store.current;
    if (!current || current.backend === backendName) return;
    setStatus(this.status, `rebuilding the model on ${backendName}…`);
    try {
      const loaded = await loadClassifier(current.source, { trainable: false });
      this.store.set({ ...current, loaded, backend: backendName });
      if (current.source instanceof UrlModelSource) current.source.release();
      setStatus(this.status, `the model now runs on ${backendName}`);
    } catch (err) {
      setStatus(this.status, `could not rebuild the model on ${backendName}: ${errorText(err)}`, 'error');
      console.error(err);
    }
  }

  /** The model is in: the bar shows 100 % (the last report may have been a range read of the checkpoint). */
  private finishProgress(): void {
    const loaded = Number(this.progress.dataset.loaded ?? 0);
    const reported = this.progress.dataset.percent ?? '0';
    this.progress.value = 1;
    this.progress.dataset.state = 'done';
    this.progress.dataset.reportedPercent = reported;
    this.progress.dataset.percent = '100';
    this.progressText.textContent = `${formatBytes(loaded)} received · done (100%)`;
  }

  private async clearCache(): Promise<void> {
    try {
      const cache = await ModelCache.open();
      await cache.clear();
      setStatus(this.status, 'cleared the models cached in this browser');
    } catch (err) {
      setStatus(this.status, `could not clear the cache: ${errorText(err)}`, 'error');
    }
  }
}
