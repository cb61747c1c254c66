import { loadTable, type Dataset, type TableFormat } from '@maxpoolbert/core';
import { byTestId, errorText, setStatus } from './dom.js';
import { SAMPLE_CSV } from './sample-data.js';

/** CSV unless the text is JSON lines or its header is tab-separated. */
export function guessFormat(text: string): TableFormat {
  const first = text.replace(/^\uFEFF/, '').trimStart().split(/\r?\n/, 1)[0] ?? '';
  if (first.startsWith('{')) return 'jsonl';
  if (first.includes('\t') && !first.includes(',')) return 'tsv';
  return 'csv';
}

/** Parses labelled training rows (columns `text` and `label`) with core's loader; errors name the line. */
export function parseTrainingData(text: string, name: string): Dataset {
  return loadTable(text, name, { format: guessFormat(text), textColumn: 'text', labelColumn: 'label' }).dataset;
}

/** "24 examples · negative 12, positive 12" */
export function describeDataset(d: Dataset): string {
  const counts = new Map<number, number>();
  for (const e of d.examples) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  const perLabel = d.labels.names.map((name, i) => `${name} ${counts.get(i) ?? 0}`).join(', ');
  return `${d.examples.length} examples · ${perLabel}`;
}

/** The training-data box: paste CSV, upload a file, or take the built-in sample. */
export class CsvInput {
  private readonly text = byTestId<HTMLTextAreaElement>('csv-text');
  private readonly sample = byTestId<HTMLButtonElement>('csv-sample');
  private readonly file = byTestId<HTMLInputElement>('csv-file');
  private readonly summary = byTestId('csv-summary');
  private name = 'pasted data';

  constructor() {
    this.text.placeholder = SAMPLE_CSV.split('\n').slice(0, 5).join('\n') + '\n…';
    this.text.addEventListener('input', () => {
      this.name = 'pasted data';
      this.check();
    });
    this.sample.addEventListener('click', () => {
      this.text.value = SAMPLE_CSV;
      this.name = 'sample.csv';
      this.check();
    });
    this.file.addEventListener('change', async () => {
      const f = this.file.files?.[0];
      if (!f) return;
      this.text.value = await f.text();
      this.name = f.name;
      this.file.value = '';
      this.check();
    });
  }

  /** The parsed data set; throws (and shows) what is wrong with it. */
  dataset(): Dataset {
    if (!this.text.value.trim()) {
      const err = new Error('paste training data (CSV with a header text,label), upload a .csv, or use the sample');
      setStatus(this.summary, err.message, 'error');
      throw err;
    }
    try {
      const d = parseTrainingData(this.text.value, this.name);
      if (d.labels.problemType !== 'regression' && d.labels.names.length < 2) throw new Error(`${this.name}: only one label ("${d.labels.names[0]}"): a classifier needs at least two`);
      setStatus(this.summary, describeDataset(d));
      return d;
    } catch (err) {
      setStatus(this.summary, errorText(err), 'error');
      throw err;
    }
  }

  private check(): void {
    try {
      this.dataset();
    } catch {
      // shown in the summary line
    }
  }
}
