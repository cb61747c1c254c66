/**
 * The pre-training chart (pretrain_curve.svg beside pretrain_results.json): the masked-LM loss
 * on the training text and on the held-out text against optimizer step, then the held-out
 * perplexity. What a user looks at to see whether more steps would still pay.
 */
import type { MlmEvalRecord } from '@maxpoolbert/core';
import { curvePanelBox, curvePanelHeight, finitePoints, renderCurvePanel } from './svg/curve-panel.js';
import { renderTitle, svgDocument } from './svg/document.js';
import { text } from './svg/escape.js';
import { renderLegend } from './svg/legend.js';
import { headColor, MUTED } from './svg/palette.js';
import { formatDuration } from './table.js';

export interface PretrainChartData {
  /** What the text was, e.g. "corpus.txt (88480 lines)". */
  data: string;
  steps: number;
  tokensSeen: number;
  trainSeconds: number;
  /** Every evaluation: held-out loss and perplexity, and the mean training loss since the previous one. */
  history: MlmEvalRecord[];
}

const WIDTH = 900;
const MARGIN = 16;
const PLOT_HEIGHT = 240;

const TRAINING = 'training text';
const VALIDATION = 'held-out text';

export function renderPretrainSvg(d: PretrainChartData): string {
  const inner = WIDTH - 2 * MARGIN;
  const body: string[] = [];
  let y = MARGIN;
  const title = `Masked-LM pre-training on ${d.data}`;
  const heading = renderTitle(title, MARGIN, y, inner);
  body.push(heading.svg);
  y += heading.height;

  const first = d.history[0];
  const last = d.history[d.history.length - 1];
  const perplexity = first && last ? `; held-out perplexity ${first.perplexity.toFixed(1)} (step ${first.step}) → ${last.perplexity.toFixed(1)} (step ${last.step})` : '';
  const subtitle = `${d.steps} steps, ${d.tokensSeen.toLocaleString('en-US')} tokens in ${formatDuration(d.trainSeconds)}${perplexity}`;
  body.push(text(MARGIN, y + 12, subtitle, { class: 'chart-subtitle', 'font-size': 12, fill: MUTED }));
  y += 24;

  const training = finitePoints(d.history.map((r) => ({ step: r.step, value: r.trainLoss })));
  const heldOut = finitePoints(d.history.map((r) => ({ step: r.step, value: r.loss })));
  if (heldOut.length === 0 && training.length === 0) {
    body.push(text(WIDTH / 2, y + 30, 'No evaluation yet: nothing to draw (pass --validation-split or --validation-text, and --eval-every).', { 'text-anchor': 'middle', 'font-size': 14, fill: MUTED }));
    y += 50;
  } else {
    const series = [
      { name: TRAINING, color: headColor(0), curves: [training] },
      { name: VALIDATION, color: headColor(1), curves: [heldOut] },
    ].filter((s) => s.curves[0].length > 0);
    const legend = renderLegend(series, MARGIN, y, inner);
    body.push(legend.svg);
    y += legend.height + 8;
    const loss = { title: 'Masked-LM loss', note: 'over the masked tokens; training: the mean since the previous evaluation' };
    body.push(renderCurvePanel({ name: 'loss', label: 'cross-entropy', bounds: { min: 0 } }, series, curvePanelBox(MARGIN, y, inner, PLOT_HEIGHT), loss));
    y += curvePanelHeight(PLOT_HEIGHT);
    if (heldOut.length > 0) {
      const ppl = [{ name: VALIDATION, color: headColor(1), curves: [d.history.map((r) => ({ step: r.step, value: r.perplexity }))] }];
      const wording = { title: 'Held-out perplexity', note: 'exp(held-out loss); the same masked tokens at every evaluation' };
      body.push(renderCurvePanel({ name: 'perplexity', label: 'perplexity', bounds: { min: 1 } }, ppl, curvePanelBox(MARGIN, y, inner, PLOT_HEIGHT), wording));
      y += curvePanelHeight(PLOT_HEIGHT);
    }
  }

  return svgDocument(title, WIDTH, Math.ceil(y + MARGIN), body);
}
