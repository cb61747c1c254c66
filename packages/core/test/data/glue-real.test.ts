import * as fs from 'node:fs';
import * as path from 'node:path';
import { GLUE_DIR } from '../../../../testing/shared-fixtures';
import { GLUE_TASKS, glueTask, loadGlueFile } from '../../src/data/glue';
import { parseTsv } from '../../src/data/delimited';
import type { Example } from '../../src/data/example';

/** Raw lines of a GLUE file read independently: BOM dropped, split on \n, empty lines dropped. */
function rawLines(task: string, split: string): string[] {
  const text = fs.readFileSync(path.join(GLUE_DIR, task, split), 'utf8').replace(/^\uFEFF/, '');
  return text.split('\n').filter((l) => l.length > 0);
}

const cache = new Map<string, Example[]>();
function load(task: string, split: string): Example[] {
  const key = `${task}/${split}`;
  if (!cache.has(key)) {
    const file = path.join(GLUE_DIR, task, split);
    cache.set(key, glueTask(task).parse(fs.readFileSync(file, 'utf8'), file));
  }
  return cache.get(key)!;
}

describe('real GLUE files', () => {
  it.each([
    ['CoLA', 'train.tsv', 8551],
    ['CoLA', 'dev.tsv', 1043],
    ['SST-2', 'train.tsv', 67349],
    ['SST-2', 'dev.tsv', 872],
    ['MRPC', 'train.tsv', 3667],
    ['MRPC', 'dev.tsv', 408],
  ])('%s %s has %i examples', (task, split, count) => {
    expect(load(task, split)).toHaveLength(count);
  });

  it('CoLA: no header, sentence in column 3 and label in column 1, first and last rows', () => {
    for (const split of ['train.tsv', 'dev.tsv']) {
      const raw = rawLines('CoLA', split).map((l) => l.split('\t'));
      const ex = load('CoLA', split);
      for (const [e, r, line] of [
        [ex[0], raw[0], 1],
        [ex[ex.length - 1], raw[raw.length - 1], raw.length],
      ] as const) {
        expect(e).toEqual({ text: r[3], label: Number(r[1]), line });
      }
      // Labels agree with the file row by row.
      expect(ex.map((e) => e.label)).toEqual(raw.map((r) => Number(r[1])));
    }
    expect(load('CoLA', 'train.tsv')[0].text).toBe("Our friends won't buy this analysis, let alone the next one we propose.");
    expect(load('CoLA', 'dev.tsv')[1042].text).toBe('John talked to Bill about himself.');
  });

  it('CoLA keeps quote characters (train line 3057)', () => {
    const e = load('CoLA', 'train.tsv').find((x) => x.line === 3057)!;
    expect(e.text).toBe('Susan whispered "Shut up".');
    expect(e.label).toBe(1);
  });

  it('SST-2: header skipped, sentence and label, trailing space kept as in the file', () => {
    for (const split of ['train.tsv', 'dev.tsv']) {
      const raw = rawLines('SST-2', split).slice(1).map((l) => l.split('\t'));
      const ex = load('SST-2', split);
      expect(ex[0]).toEqual({ text: raw[0][0], label: Number(raw[0][1]), line: 2 });
      expect(ex[ex.length - 1]).toEqual({ text: raw[raw.length - 1][0], label: Number(raw[raw.length - 1][1]), line: raw.length + 1 });
      const positives = raw.filter((r) => r[1] === '1').length;
      expect(ex.filter((e) => e.label === 1).length).toBe(positives);
    }
    expect(load('SST-2', 'train.tsv')[0].text).toBe('hide new secretions from the parental units ');
    expect(load('SST-2', 'dev.tsv')[0]).toMatchObject({ text: "it 's a charming and often affecting journey . ", label: 1 });
  });

  it('MRPC: the BOM is dropped so "Quality" is the first header column', () => {
    const file = path.join(GLUE_DIR, 'MRPC', 'train.tsv');
    const text = fs.readFileSync(file, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff); // the fixture really has a BOM
    expect(parseTsv(text, { header: true }).header).toEqual(['Quality', '#1 ID', '#2 ID', '#1 String', '#2 String']);
  });

  it('MRPC: sentence pairs and labels, first and last rows, lone quotes preserved', () => {
    for (const split of ['train.tsv', 'dev.tsv']) {
      const raw = rawLines('MRPC', split).slice(1).map((l) => l.split('\t'));
      const ex = load('MRPC', split);
      const first = raw[0];
      const last = raw[raw.length - 1];
      expect(ex[0]).toEqual({ text: first[3], textPair: first[4], label: Number(first[0]), line: 2 });
      expect(ex[ex.length - 1]).toEqual({ text: last[3], textPair: last[4], label: Number(last[0]), line: raw.length + 1 });
      // Every row with a quote character keeps it: the counts match a plain split.
      const quoted = raw.filter((r) => r[3].includes('"') || r[4].includes('"')).length;
      expect(quoted).toBeGreaterThan(0);
      expect(ex.filter((e) => e.text.includes('"') || e.textPair!.includes('"')).length).toBe(quoted);
    }
    const dev = load('MRPC', 'dev.tsv');
    expect(dev[0].textPair).toBe('" The foodservice pie business does not fit our long-term growth strategy .');
    expect(dev[1].textPair).toMatch(/^His wife said he was " 100 percent behind George Bush " and/);
    expect(load('MRPC', 'train.tsv')[0].text).toBe(
      'Amrozi accused his brother , whom he called " the witness " , of deliberately distorting his evidence .',
    );
  });

  it('loadGlueFile returns a Dataset with the task label set', () => {
    const file = path.join(GLUE_DIR, 'MRPC', 'dev.tsv');
    const { dataset, skipped } = loadGlueFile('mrpc', fs.readFileSync(file, 'utf8'), file);
    expect(skipped).toEqual([]);
    expect(dataset.file).toBe(file);
    expect(dataset.labels).toEqual({ problemType: 'single_label_classification', names: ['0', '1'] });
    expect(dataset.examples).toHaveLength(408);
    expect(GLUE_TASKS.MRPC.mainMetric).toBe('f1');
  });
});
