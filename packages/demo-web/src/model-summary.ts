import { byTestId, el } from './dom.js';
import type { CurrentModel } from './model-store.js';

/** Counts a model's parameters (encoder, head and classifier). */
export function parameterCount(model: CurrentModel['loaded']['model']): number {
  let n = 0;
  for (const v of model.variables().values()) n += v.size;
  return n;
}

function formatCount(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : String(n);
}

/** Shows what the current model is: size, head, labels and origin. */
export function renderModelSummary(current: CurrentModel | null): void {
  const box = byTestId('model-summary');
  if (!current) {
    box.dataset.state = 'empty';
    box.replaceChildren(el('p', { class: 'muted' }, 'No model loaded yet.'));
    return;
  }
  const { config, model, newlyInitialised } = current.loaded;
  const spec = model.head.spec;
  const labels = model.labels.problemType === 'regression' ? 'regression (one score)' : model.labels.names.join(', ');
  const head = `${spec.type} (k = ${spec.layers}, ${spec.numHeads} attention heads, pooler ${spec.usePooler ? 'on' : 'off'}, dropout ${spec.dropout})`;
  const rows: [string, string, string][] = [
    ['from', current.origin, 'origin'],
    ['layers', String(config.num_hidden_layers), 'layers'],
    ['hidden size', String(config.hidden_size), 'hidden-size'],
    ['attention heads', String(config.num_attention_heads), 'attention-heads'],
    ['vocabulary', `${config.vocab_size} tokens`, 'vocabulary'],
    ['head', head, 'head'],
    ['labels', labels, 'labels'],
    ['parameters', `${formatCount(parameterCount(model))} (head ${formatCount(model.headParameterCount())})`, 'parameters'],
  ];
  if (newlyInitialised.length) rows.push(['new weights', newlyInitialised.join(', '), 'new-weights']);
  box.dataset.state = 'loaded';
  box.dataset.head = spec.type;
  box.dataset.layers = String(config.num_hidden_layers);
  box.dataset.hiddenSize = String(config.hidden_size);
  box.dataset.labels = JSON.stringify(model.labels.names);
  box.dataset.origin = current.origin;
  box.replaceChildren(el('dl', {}, ...rows.flatMap(([k, v, id]) => [el('dt', {}, k), el('dd', { 'data-testid': `model-${id}` }, v)])));
}
