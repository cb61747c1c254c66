import * as tf from '@tensorflow/tfjs-core';
import { classifierFolderFiles, heads, presetConfig } from '@maxpoolbert/core';
import { downloadModelFolder } from '@maxpoolbert/backend-web';
import type { BackendPanel } from './backend-panel.js';
import type { CsvInput } from './csv-input.js';
import { byTestId, el, errorText, nextFrame, setStatus } from './dom.js';
import { formatStep } from './format.js';
import { bundledVocab, FRESH_MODEL_ORIGIN, FRESH_PRESET, freshTinyBertSource } from './fresh-model.js';
import { LossChart } from './loss-chart.js';
import type { ModelStore } from './model-store.js';
import { trainClassifier, type TrainSettings } from './train.js';

export const DEFAULT_HEAD = 'max-seq-mha';

/**
 * Starting points for the two kinds of start: a random tiny BERT needs a large learning rate and
 * ~30 steps to fit the sample; a pre-trained one the usual BERT fine-tuning settings.
 */
const START_DEFAULTS = {
  fresh: { epochs: 10, learningRate: 1e-3 },
  loaded: { epochs: 3, learningRate: 2e-5 },
};

function numberField(id: string, min: number, integer: boolean): number {
  const input = byTestId<HTMLInputElement>(id);
  const v = Number(input.value);
  const label = input.closest('label')?.firstChild?.textContent?.trim() ?? id;
  if (input.value.trim() === '' || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
    throw new Error(`${label} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got "${input.value}"`);
  }
  return v;
}

/**
 * Fine-tuning: data (CsvInput), head and settings, Train / Stop, the live loss chart with step
 * and ETA, and Download of the current model. The trained model replaces the one Classify uses.
 */
export class FineTunePanel {
  private readonly form = byTestId<HTMLFormElement>('train-form');
  private readonly start = byTestId<HTMLSelectElement>('train-start');
  private readonly head = byTestId<HTMLSelectElement>('train-head');
  private readonly layers = byTestId<HTMLInputElement>('train-layers');
  private readonly trainButton = byTestId<HTMLButtonElement>('train-button');
  private readonly stopButton = byTestId<HTMLButtonElement>('train-stop');
  private readonly status = byTestId('train-status');
  private readonly freshNote = byTestId('fresh-note');
  private readonly downloadButton = byTestId<HTMLButtonElement>('download-button');
  private readonly chart = new LossChart(byTestId<SVGSVGElement>('loss-chart'));
  private running = false;
  private stop: AbortController | null = null;

  constructor(private readonly store: ModelStore, private readonly backend: BackendPanel, private readonly csv: CsvInput) {
    this.head.replaceChildren(...heads.names().map((name) => el('option', { value: name, selected: name === DEFAULT_HEAD }, name)));
    this.start.addEventListener('change', () => {
      const d = START_DEFAULTS[this.start.value === 'loaded' ? 'loaded' : 'fresh'];
      byTestId<HTMLInputElement>('train-epochs').value = String(d.epochs);
      byTestId<HTMLInputElement>('train-lr').value = String(d.learningRate);
      this.updateStart();
    });
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.train();
    });
    this.stopButton.addEventListener('click', () => {
      this.stop?.abort();
      this.stopButton.disabled = true;
      setStatus(this.status, `${this.status.textContent} · stopping after this step…`);
    });
    this.downloadButton.addEventListener('click', () => void this.download());
    store.addEventListener('change', () => {
      this.downloadButton.disabled = !store.current;
      this.updateStart();
    });
    this.updateStart();
  }

  private updateStart(): void {
    const loadedOption = this.start.querySelector<HTMLOptionElement>('option[value="loaded"]')!;
    loadedOption.disabled = !this.store.current;
    const origin = this.store.current?.origin ?? '';
    loadedOption.textContent = this.store.current ? `the loaded model (${origin.length > 40 ? `…${origin.slice(-39)}` : origin})` : 'the loaded model (none loaded yet)';
    loadedOption.title = origin;
    if (!this.store.current && this.start.value === 'loaded') this.start.value = 'fresh';
    this.freshNote.hidden = this.start.value !== 'fresh';
  }

  private settings(modelLayers: number, maxPositions: number): { settings: TrainSettings; note: string } {
    const askedK = this.layers.value.trim() === '' ? null : numberField('train-layers', 1, true);
    const k = Math.min(askedK ?? 3, modelLayers);
    const note = askedK !== null && askedK > modelLayers ? ` (k ${askedK} lowered to the model's ${modelLayers} layers)` : '';
    const settings: TrainSettings = {
      head: { type: this.head.value, layers: k },
      epochs: numberField('train-epochs', 1, true),
      learningRate: numberField('train-lr', 0, false),
      batchSize: numberField('train-batch', 1, true),
      maxLength: numberField('train-max-length', 2, true),
      seed: numberField('train-seed', 0, true),
    };
    if (settings.maxLength > maxPositions) throw new Error(`Max length ${settings.maxLength} is more than the model's ${maxPositions} positions`);
    return { settings, note };
  }

  async train(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const stop = (this.stop = new AbortController());
    this.trainButton.disabled = true;
    this.status.dataset.state = 'preparing';
    setStatus(this.status, 'preparing…');
    try {
      const data = this.csv.dataset();
      const info = await this.backend.ready();
      const fresh = this.start.value === 'fresh';
      const current = this.store.current;
      if (!fresh && !current) throw new Error('no model loaded: load one in section 1, or start from a fresh tiny BERT');
      const shape = fresh ? presetConfig(FRESH_PRESET, 0) : current!.loaded.config; // (its shape only)
      const { settings, note } = this.settings(shape.num_hidden_layers, shape.max_position_embeddings);
      const totalSteps = Math.ceil(data.examples.length / settings.batchSize) * settings.epochs;
      this.chart.reset(totalSteps);
      this.backend.setLocked(true);
      this.stopButton.disabled = false;
      this.status.dataset.state = 'running';
      this.status.dataset.step = '0';
      this.status.dataset.totalSteps = String(totalSteps);
      const what = `${settings.head.type} (k = ${settings.head.layers})${note} on ${data.examples.length} examples, ${totalSteps} steps, ${info.name}`;
      setStatus(this.status, `building ${fresh ? FRESH_MODEL_ORIGIN : 'the model'} with head ${what}…`);
      await nextFrame();
      const base = fresh ? freshTinyBertSource(await bundledVocab(), settings.seed) : current!.source;
      const accuracies: string[] = [];
      const result = await trainClassifier({
        base,
        data,
        settings,
        signal: stop.signal,
        onStep: (p) => {
          this.chart.add(p.loss);
          this.status.dataset.step = String(p.step);
          setStatus(this.status, formatStep(p, settings.epochs) + (stop.signal.aborted ? ' · stopping…' : ''));
        },
        onEpoch: (epoch, value) => {
          accuracies.push(`${value.toFixed(3)} after epoch ${epoch}`);
          this.status.dataset.accuracies = JSON.stringify(accuracies);
        },
      });
      const steps = result.losses.length;
      const origin = `fine-tuned in this page: ${settings.head.type} on ${data.file}, ${steps} steps${result.stopped ? ' (stopped early)' : ''}`;
      this.store.set({ loaded: result.loaded, source: result.source, origin, backend: info.name });
      this.status.dataset.state = result.stopped ? 'stopped' : 'done';
      this.status.dataset.numTensors = String(tf.memory().numTensors);
      const last = result.losses[steps - 1];
      setStatus(this.status, `${result.stopped ? 'stopped' : 'done'}: ${steps} of ${result.totalSteps} steps` +
        (last !== undefined ? `, last loss ${last.toFixed(4)}` : '') +
        (accuracies.length ? ` · accuracy on the training rows ${accuracies[accuracies.length - 1]}` : '') +
        ' · Classify now uses this model.');
    } catch (err) {
      this.status.dataset.state = 'error';
      setStatus(this.status, `training failed: ${errorText(err)}`, 'error');
      console.error(err);
    } finally {
      this.running = false;
      this.stop = null;
      this.trainButton.disabled = false;
      this.stopButton.disabled = true;
      this.backend.setLocked(false);
    }
  }

  private async download(): Promise<void> {
    this.downloadButton.dataset.state = 'preparing';
    try {
      await this.store.use(async ({ loaded }) => {
        const files = await classifierFolderFiles(loaded.model, loaded.config, loaded.tokenizerFiles);
        downloadModelFolder(files, { name: `maxpoolbert-${loaded.model.head.spec.type}` });
      });
      this.downloadButton.dataset.state = 'done';
    } catch (err) {
      this.downloadButton.dataset.state = 'error';
      setStatus(this.status, `download failed: ${errorText(err)}`, 'error');
    }
  }
}
