// pretrain_curve.svg: the training and held-out masked-LM loss and the held-out perplexity, drawn
// where the history says they are (checked through the axis range each panel declares).
import { renderPretrainSvg, type PretrainChartData } from '../../src/report/pretrain-chart';
import { byClass, numAttr, parseXml, textOf, type XmlNode } from './xml';

const history = [100, 200, 300, 400].map((step, i) => {
  const loss = 7 - i * 0.5;
  return { step, epoch: step / 400, loss, perplexity: Math.exp(loss), maskedTokens: 5000, trainLoss: 7.4 - i * 0.5, elapsedMs: step * 2000 };
});
const run: PretrainChartData = { data: 'corpus.txt (88480 lines)', steps: 400, tokensSeen: 1_638_400, trainSeconds: 812, history };

function panel(root: XmlNode, metric: string): XmlNode {
  const found = byClass(root, 'curve-panel').filter((p) => p.attrs['data-metric'] === metric);
  expect(found).toHaveLength(1);
  return found[0];
}

/** Each polyline's points, mapped back to data coordinates through the panel's declared axes. */
function series(p: XmlNode): Record<string, [number, number][]> {
  const [area] = byClass(p, 'plot-area');
  const [left, top, width, height] = ['x', 'y', 'width', 'height'].map((a) => numAttr(area, a));
  const [x0, x1, y0, y1] = ['data-x-min', 'data-x-max', 'data-y-min', 'data-y-max'].map((a) => numAttr(p, a));
  const out: Record<string, [number, number][]> = {};
  for (const line of byClass(p, 'mean-curve')) {
    out[line.attrs['data-head']] = line.attrs.points.split(' ').map((pt) => {
      const [px, py] = pt.split(',').map(Number);
      return [x0 + ((px - left) / width) * (x1 - x0), y1 - ((py - top) / height) * (y1 - y0)];
    });
  }
  return out;
}

describe('renderPretrainSvg', () => {
  const svg = renderPretrainSvg(run);
  const root = parseXml(svg);

  it('is one self-contained SVG that says what was run and how perplexity moved', () => {
    expect(root.tag).toBe('svg');
    expect(svg).not.toMatch(/href=|<style|@import/);
    expect(textOf(byClass(root, 'chart-title')[0])).toBe('Masked-LM pre-training on corpus.txt (88480 lines)');
    expect(textOf(byClass(root, 'chart-subtitle')[0])).toBe('400 steps, 1,638,400 tokens in 13m 32s; held-out perplexity 1096.6 (step 100) → 244.7 (step 400)');
  });

  it('draws the training and held-out loss at their steps and values', () => {
    const lines = series(panel(root, 'loss'));
    expect(Object.keys(lines).sort()).toEqual(['held-out text', 'training text']);
    const close = (got: [number, number][], want: [number, number][]) =>
      got.forEach(([x, y], i) => { expect(x).toBeCloseTo(want[i][0], 1); expect(y).toBeCloseTo(want[i][1], 2); });
    close(lines['held-out text'], history.map((h) => [h.step, h.loss]));
    close(lines['training text'], history.map((h) => [h.step, h.trainLoss]));
  });

  it('draws the held-out perplexity in its own panel', () => {
    const lines = series(panel(root, 'perplexity'));
    expect(Object.keys(lines)).toEqual(['held-out text']);
    lines['held-out text'].forEach(([x, y], i) => {
      expect(x).toBeCloseTo(history[i].step, 1);
      expect(y / history[i].perplexity).toBeCloseTo(1, 3);
    });
  });

  it('says there is nothing to draw for a run without evaluations, and escapes the text name', () => {
    const empty = renderPretrainSvg({ ...run, data: 'a<b>&c.txt', history: [] });
    const r = parseXml(empty);
    expect(byClass(r, 'curve-panel')).toHaveLength(0);
    expect(textOf(byClass(r, 'chart-title')[0])).toBe('Masked-LM pre-training on a<b>&c.txt');
    expect(empty).toContain('No evaluation yet: nothing to draw');
    expect(textOf(byClass(r, 'chart-subtitle')[0])).toBe('400 steps, 1,638,400 tokens in 13m 32s');
  });
});
