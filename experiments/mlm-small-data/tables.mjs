#!/usr/bin/env node
// Prints the write-up's Markdown tables from the compare folders under DIR (each holding
// compare's results.json): an overview (main metric, mean ± sample std over seeds, per head and
// data set) and, per data set, each head against the baseline with the statistics compare
// computed (nothing is recomputed here).
//
//   node experiments/mlm-small-data/tables.mjs DIR [DIR…]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: tables.mjs DIR [DIR…] (folders of compare output folders)');
  process.exit(2);
}

const runs = dirs.flatMap((dir) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'results.json')))
    // With several DIRs a column says which one it is from (compare/SST-2-500, control/SST-2-500).
    .map((e) => ({
      name: e.name, label: dirs.length > 1 ? `${path.basename(path.resolve(dir))}/${e.name}` : e.name,
      results: JSON.parse(readFileSync(path.join(dir, e.name, 'results.json'), 'utf8')),
    })),
);
// Folders are named TASK-SIZE (run-compare.sh): smaller subsets first, then tasks in the order run.
const TASKS = ['SST-2', 'CoLA', 'MRPC'];
const size = (name) => Number(name.split('-').pop());
const task = (name) => TASKS.indexOf(name.slice(0, name.lastIndexOf('-')));
runs.sort((a, b) => size(a.name) - size(b.name) || task(a.name) - task(b.name));

const LABELS = { accuracy: 'accuracy', f1: 'F1', mcc: 'MCC', pearson: 'Pearson', spearman: 'Spearman' };
const pts = (v) => (v * 100).toFixed(2);
const signed = (v) => `${v >= 0 ? '+' : ''}${pts(v)}`;
const p = (v) => (v == null ? 'n/a' : v < 0.001 ? '< 0.001' : v.toFixed(3));
const meanStd = (m) => `${pts(m.mean)} ± ${pts(m.std)}`;
const row = (cells) => `| ${cells.join(' | ')} |`;

const heads = [...new Set(runs.flatMap((r) => r.results.heads))];
console.log(row(['head', ...runs.map((r) => `${r.label} (${LABELS[r.results.mainMetric] ?? r.results.mainMetric})`)]));
console.log(row(['---', ...runs.map(() => '---:')]));
for (const head of heads) {
  const cells = runs.map((r) => {
    const s = r.results.summary.find((x) => x.head === head);
    if (!s) return '';
    const failed = s.failedRuns.failed > 0 ? ` (${s.failedRuns.failed} failed)` : '';
    return meanStd(s.metrics[r.results.mainMetric]) + failed;
  });
  console.log(row([`\`${head}\``, ...cells]));
}

for (const r of runs) {
  const { results } = r;
  const c = results.comparison;
  const metric = LABELS[results.mainMetric] ?? results.mainMetric;
  console.log(`\n**${dirs.length > 1 ? `${r.label}: ` : ''}${results.title}** — ${metric}; Δ against \`${c.baseline}\` in points with its 95 % bootstrap CI\n`);
  console.log(row(['head', `${metric} mean ± std`, 'median', 'min – max', 'failed', 'Δ [95 % CI]', 't-test p', 'Wilcoxon p', 'ASO ε_min', 'train time', 'verdict']));
  console.log(row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---']));
  for (const s of results.summary) {
    const m = s.metrics[results.mainMetric];
    const vs = c.heads.find((h) => h.head === s.head);
    const d = vs?.difference;
    const delta = !vs ? 'baseline' : `${signed(d.estimate)} [${d.low == null ? 'n/a' : `${signed(d.low)}, ${signed(d.high)}`}]`;
    console.log(row([
      `\`${s.head}\``, meanStd(m), pts(m.median), `${pts(m.min)} – ${pts(m.max)}`, `${s.failedRuns.failed}/${s.failedRuns.runs}`,
      delta, vs ? p(vs.tTest.pValue) : '', vs ? p(vs.wilcoxon.pValue) : '', vs?.asoEpsMin == null ? '' : vs.asoEpsMin.toFixed(2),
      `${s.trainSeconds.mean.toFixed(1)} s`, vs ? vs.verdictText : '',
    ]));
  }
}
