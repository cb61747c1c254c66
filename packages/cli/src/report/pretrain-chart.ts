/**
 * The pre-training chart (pretrain_curve.svg beside pretrain_results.json): the masked-LM loss
 * on the training text and on the held-out text against optimizer step, then the held-out
 * perplexity. What a user looks at to see whether more steps would still pay.
 */
import type { MlmEvalRecord } from '@maxpoolbert/core';
import { renderCurvePanel, type CurvePoint } from './svg/curve-panel.js';
import { svgDocument } from './svg/document.js';
import { text } from './svg/escape.js';
import { renderLegend } from './svg/legend.js';
import { headColor, INK, MUTED } from './svg/palette.js';
import { fitFontSize, textWidth, truncate } from './svg/text-metrics.js';
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
const PANEL_TOP = 46;
const PLOT_LEFT = 74;
const PLOT_RIGHT = 20;
const PLOT_HEIGHT = 240;
const PLOT_BOTTOM = 50;

const TRAINING = 'training text';
const VALIDATION = 'held-out text';

const finite = (points: CurvePoint[]) => points.filter((p) => Number.isFinite(p.value));

export function renderPretrainSvg(d: PretrainChartData): string {
  const inner = WIDTH - 2 * MARGIN;
  const body: string[] = [];
  let y = MARGIN;
  const title = `Masked-LM pre-training on ${d.data}`;
  const titleFont = fitFontSize(title, inner, 20, 12);
  const shown = textWidth(title, titleFont) > inner ? truncate(title, Math.floor(inner / (titleFont * 0.6))) : title;
  body.push(text(MARGIN, y + titleFont, shown, { class: 'chart-title', 'font-size': titleFont, 'font-weight': 'bold', fill: INK }));
  y += titleFont + 8;

  const first = d.history[0];
  const last = d.history[d.history.length - 1];
  const perplexity = first && last ? `; held-out perplexity ${first.perplexity.toFixed(1)} (step ${first.step}) → ${last.perplexity.toFixed(1)} (step ${last.step})` : '';
  const subtitle = `${d.steps} steps, ${d.tokensSeen.toLocaleString('en-US')} tokens in ${formatDuration(d.trainSeconds)}${perplexity}`;
  body.push(text(MARGIN, y + 12, subtitle, { class: 'chart-subtitle', 'font-size': 12, fill: MUTED }));
  y += 24;

  const training = finite(d.history.map((r) => ({ step: r.step, value: r.trainLoss })));
  const heldOut = finite(d.history.map((r) => ({ step: r.step, value: r.loss })));
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
    const box = () => ({ left: MARGIN + PLOT_LEFT, top: y + PANEL_TOP, width: inner - PLOT_LEFT - PLOT_RIGHT, height: PLOT_HEIGHT });
    body.push(renderCurvePanel({ name: 'loss', label: 'cross-entropy', bounds: { min: 0 } }, series, box(), { title: 'Masked-LM loss', note: 'over the masked tokens; training: the mean since the previous evaluation' }));
    y += PANEL_TOP + PLOT_HEIGHT + PLOT_BOTTOM;
    if (heldOut.length > 0) {
      const ppl = [{ name: VALIDATION, color: headColor(1), curves: [finite(d.history.map((r) => ({ step: r.step, value: r.perplexity })))] }];
      body.push(renderCurvePanel({ name: 'perplexity', label: 'perplexity', bounds: { min: 1 } }, ppl, box(), { title: 'Held-out perplexity', note: 'exp(held-out loss); the same masked tokens at every evaluation' }));
      y += PANEL_TOP + PLOT_HEIGHT + PLOT_BOTTOM;
    }
  }

  const height = Math.ceil(y + MARGIN);
  return svgDocument(title, WIDTH, height, body);
}
