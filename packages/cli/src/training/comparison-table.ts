import { formatTable } from '../report/table.js';
import { label, scale } from './aggregate.js';
import type { Comparison } from './compare-statistics.js';

/** "0.041", "<0.001"; "n/a" when the test could not run (fewer than 2 seeds, or unpaired for Wilcoxon). */
export function formatP(p: number | undefined): string {
  if (p === undefined || !Number.isFinite(p)) return 'n/a';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

/** "+1.23", "-0.50", "0.00" (no "-0.00"). */
function signed(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  const s = v.toFixed(2);
  if (Number(s) === 0) return '0.00';
  return v > 0 ? `+${s}` : s;
}

/**
 * The second table of a compare: every head against the baseline on the main metric (the
 * baseline's own row says "baseline"), with a heading line that says what the numbers are and
 * a few lines on how to read them.
 */
export function formatComparisonTable(c: Comparison, runsPerHead: Record<string, number>, heads: readonly string[]): string {
  const k = scale(c.metric);
  const unit = k === 100 ? 'points (×100)' : 'raw units';
  const pct = Math.round((c.heads[0]?.difference.confidence ?? 0.95) * 100);
  const headers = ['head', 'seeds', `Δ ${label(c.metric)}`, `${pct} % CI`, 'test', 't-test p', 'Wilcoxon p', 'ASO ε_min', 'verdict'];
  const rows = heads.map((head): string[] => {
    if (head === c.baseline) return [head, String(runsPerHead[head] ?? 0), '', '', '', '', '', '', 'baseline'];
    const h = c.heads.find((x) => x.head === head);
    if (!h) return [head, String(runsPerHead[head] ?? 0), 'n/a', '', '', '', '', '', 'no evidence'];
    const d = h.difference;
    const ci = Number.isFinite(d.low) && Number.isFinite(d.high) ? `[${signed(d.low * k)}, ${signed(d.high * k)}]` : 'n/a';
    return [
      head, String(h.n), signed(d.estimate * k), ci, h.paired ? 'paired t' : 'Welch t', formatP(h.tTest.pValue),
      h.paired ? formatP(h.wilcoxon?.pValue) : 'n/a', Number.isFinite(h.asoEpsMin) ? h.asoEpsMin.toFixed(2) : 'n/a', h.verdictText,
    ];
  });
  const table = formatTable(headers, rows, { align: ['left', 'right', 'right', 'right', 'left', 'right', 'right', 'right', 'left'] });
  const unpaired = c.heads.some((h) => !h.paired);
  return [
    ...(c.note ? [`note: ${c.note}`] : []),
    `Against the baseline ${c.baseline} on ${label(c.metric)} (mean difference in ${unit}, ${pct} % bootstrap CI over seeds, α = ${c.alpha}):`,
    table,
    `p: two-sided tests of "no difference"; ${unpaired ? "Welch's t where the heads' seeds differ, otherwise " : ''}paired t and Wilcoxon pair the runs by seed.`,
    'ASO ε_min < 0.5: the head scores better than the baseline more often than not (smaller is stronger).',
    'Few seeds give the tests little power: "no evidence" is not evidence of no difference. Failed runs are counted and kept in every number.',
  ].join('\n');
}
