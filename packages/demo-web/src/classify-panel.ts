import * as tf from '@tensorflow/tfjs-core';
import { classifyTexts, type Prediction } from './classify.js';
import { byTestId, el, errorText, setStatus } from './dom.js';
import type { ModelStore } from './model-store.js';

/** Bars, one per label: name, probability bar, and the number (4 decimals; full value in data-probability). */
export function renderPrediction(container: HTMLElement, labels: string[], p: Prediction): void {
  if (p.probabilities.length === 0) {
    container.replaceChildren(el('div', { class: 'bar-row', 'data-testid': 'score' }, el('span', { class: 'label' }, 'score'), el('span'), el('span', { class: 'value' }, p.score!.toFixed(4))));
    return;
  }
  const best = p.probabilities.indexOf(Math.max(...p.probabilities));
  container.replaceChildren(
    ...p.probabilities.map((prob, i) =>
      el('div', { class: `bar-row${i === best ? ' top' : ''}`, 'data-testid': 'prob-row', 'data-label': labels[i], 'data-probability': String(prob), 'data-logit': String(p.logits[i]) },
        el('span', { class: 'label', title: labels[i] }, labels[i]),
        el('span', { class: 'track' }, el('span', { class: 'fill', style: `display:block;width:${(prob * 100).toFixed(2)}%` })),
        el('span', { class: 'value' }, prob.toFixed(4)),
      ),
    ),
  );
}

/** Classify: a textarea and a button (or Enter) → per-label probabilities of the current model. */
export class ClassifyPanel {
  private readonly text = byTestId<HTMLTextAreaElement>('classify-text');
  private readonly button = byTestId<HTMLButtonElement>('classify-button');
  private readonly status = byTestId('classify-status');
  private readonly results = byTestId('classify-results');
  private running = false;

  constructor(private readonly store: ModelStore, private readonly ready: () => Promise<unknown>) {
    this.button.addEventListener('click', () => void this.classify());
    this.text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        void this.classify();
      }
    });
    store.addEventListener('change', () => {
      this.button.disabled = !store.current;
      this.results.replaceChildren();
      delete this.results.dataset.text;
      setStatus(this.status, store.current ? `ready: ${store.current.origin}` : '');
    });
  }

  async classify(): Promise<void> {
    if (this.running) return;
    const text = this.text.value;
    this.running = true;
    this.button.disabled = true;
    this.results.dataset.state = 'running';
    try {
      await this.ready();
      const started = performance.now();
      await this.store.use(async ({ loaded }) => {
        const [p] = await classifyTexts(loaded, [text]);
        renderPrediction(this.results, loaded.model.labels.names, p);
        this.results.dataset.label = p.label;
      });
      const ms = performance.now() - started;
      const count = Number(this.results.dataset.count ?? 0) + 1;
      this.results.dataset.text = text;
      this.results.dataset.count = String(count);
      // Tensors still alive after the call: the same number every time, or something leaks.
      this.results.dataset.numTensors = String(tf.memory().numTensors);
      this.results.dataset.state = 'done';
      setStatus(this.status, `${this.results.dataset.label} · ${ms.toFixed(0)} ms on ${tf.getBackend()}`);
    } catch (err) {
      this.results.dataset.state = 'error';
      setStatus(this.status, errorText(err), 'error');
      console.error(err);
    } finally {
      this.running = false;
      this.button.disabled = !this.store.current;
    }
  }
}
