/**
 * The page's logic without a browser, on tfjs's CPU backend: data parsing, the chart's geometry,
 * classification against the reference checkpoints, the fresh tiny BERT and a stopped run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@maxpoolbert/heads';
import { ensureKernels, loadClassifier, MemoryModelSource } from '@maxpoolbert/core';
import { classifyTexts } from '../src/classify';
import { describeDataset, guessFormat, parseTrainingData } from '../src/csv-input';
import { formatDuration, formatStep } from '../src/format';
import { freshTinyBertSource } from '../src/fresh-model';
import { chartPoints, CHART_BOX, niceCeil } from '../src/loss-chart';
import { SAMPLE_CSV } from '../src/sample-data';
import { trainClassifier } from '../src/train';
import { HEADS_FIXTURES_DIR, maxAbsDiff, TINY_DISTILBERT_DIR, TINY_ROBERTA_DIR } from '../../../testing/shared-fixtures';

const VOCAB = fs.readFileSync(path.resolve(__dirname, '../../cli/assets/bert-base-uncased-vocab.txt'), 'utf8');

function folder(dir: string): MemoryModelSource {
  return new MemoryModelSource(new Map(fs.readdirSync(dir).map((f) => [f, new Uint8Array(fs.readFileSync(path.join(dir, f)))])), dir);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  ensureKernels('cpu');
});

describe('training data', () => {
  it('parses the built-in sample: 24 rows, 12 per label', () => {
    const d = parseTrainingData(SAMPLE_CSV, 'sample.csv');
    expect(d.labels.names).toEqual(['negative', 'positive']);
    expect(describeDataset(d)).toBe('24 examples · negative 12, positive 12');
    expect(d.examples.find((e) => e.text.startsWith('Clever'))?.text).toBe('Clever, kind and wonderful');
  });

  it('tells CSV, TSV and JSON lines apart and names the bad line', () => {
    expect(guessFormat('text,label\na,b')).toBe('csv');
    expect(guessFormat('text\tlabel\na\tb')).toBe('tsv');
    expect(guessFormat('{"text": "a", "label": "b"}')).toBe('jsonl');
    expect(parseTrainingData('text\tlabel\ngood\tpos\nbad\tneg\n', 'x.tsv').labels.names).toEqual(['neg', 'pos']);
    expect(() => parseTrainingData('text,label\ngood,pos\n,neg\n', 'pasted data')).toThrow(/line 3/);
    expect(() => parseTrainingData('sentence,label\ngood,pos\n', 'pasted data')).toThrow(/no column "text"/);
  });
});

describe('loss chart and progress text', () => {
  it('rounds the y axis up and spreads the steps over the width', () => {
    expect([niceCeil(0.69), niceCeil(1.2), niceCeil(7), niceCeil(0), niceCeil(NaN)]).toEqual([1, 2, 10, 1, 1]);
    // Losses up to 0.8 → y from 0 to 1; three steps → x at 0, ½ and 1 of the width.
    const pts = chartPoints([0.8, 0.2], 3);
    const w = CHART_BOX.width - CHART_BOX.left - CHART_BOX.right;
    const h = CHART_BOX.height - CHART_BOX.top - CHART_BOX.bottom;
    const want = [{ x: CHART_BOX.left, y: CHART_BOX.top + h * 0.2 }, { x: CHART_BOX.left + w / 2, y: CHART_BOX.top + h * 0.8 }];
    expect(pts).toHaveLength(2);
    pts.forEach((p, i) => {
      expect(p.x).toBeCloseTo(want[i].x, 9);
      expect(p.y).toBeCloseTo(want[i].y, 9);
    });
  });

  it('says step, epoch, loss, speed and time left', () => {
    expect(formatStep({ step: 3, totalSteps: 30, epoch: 0, loss: 0.69314, elapsedMs: 1500 }, 10)).toBe('step 3/30 · epoch 1/10 · loss 0.6931 · 0.50 s/step · ETA 14 s');
    expect([formatDuration(59_400), formatDuration(200_000), formatDuration(3_900_000)]).toEqual(['59 s', '3 min 20 s', '1 h 5 min']);
  });
});

describe('classifyTexts', () => {
  it.each(['cls-k1-h4-pooler-2labels', 'max-seq-mha-k2-h4-pooler-2labels'])('matches the reference logits of %s and leaks no tensors', async (fixture) => {
    const dir = path.join(HEADS_FIXTURES_DIR, fixture);
    const expected = fs.readFileSync(path.join(dir, 'expected.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; logits: number[] }).slice(0, 6);
    const loaded = await loadClassifier(folder(dir), { trainable: false });
    try {
      await classifyTexts(loaded, ['warm-up']);
      const before = tf.memory().numTensors;
      const predictions = await classifyTexts(loaded, expected.map((e) => e.text));
      expect(tf.memory().numTensors).toBe(before);
      predictions.forEach((p, i) => {
        expect(maxAbsDiff(p.logits, expected[i].logits)).toBeLessThan(1e-4);
        expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
        expect(p.label).toBe(`LABEL_${p.logits.indexOf(Math.max(...p.logits))}`);
      });
    } finally {
      loaded.model.dispose();
    }
  });
});

describe('fine-tuning a fresh tiny BERT', () => {
  let fresh: MemoryModelSource;
  beforeAll(() => {
    fresh = freshTinyBertSource(VOCAB, 1);
  });

  it('is the tiny preset with the bundled vocabulary', async () => {
    const source = fresh;
    const config = JSON.parse(await source.readText('config.json'));
    expect(config).toMatchObject({ num_hidden_layers: 2, hidden_size: 128, num_attention_heads: 2, vocab_size: 30522 });
    expect(await source.has('model.safetensors')).toBe(true);
    expect(await source.readText('vocab.txt')).toBe(VOCAB.endsWith('\n') ? VOCAB : `${VOCAB}\n`);
  });

  it('stops when asked, keeping the steps taken, and its folder loads back', async () => {
    const data = parseTrainingData(SAMPLE_CSV, 'sample.csv');
    const steps: number[] = [];
    const stop = new AbortController();
    const result = await trainClassifier({
      base: fresh,
      data,
      settings: { head: { type: 'max-seq-mha', layers: 2 }, epochs: 3, learningRate: 1e-3, batchSize: 12, maxLength: 16, seed: 3 },
      onStep: (p) => {
        steps.push(p.step);
        if (steps.length === 2) stop.abort();
      },
      signal: stop.signal,
    });
    try {
      expect(result.stopped).toBe(true);
      expect(steps).toEqual([1, 2]);
      expect(result.losses).toHaveLength(2);
      expect(result.totalSteps).toBe(6);
      const config = JSON.parse(await result.source.readText('config.json'));
      expect(config.maxpoolbert_head).toMatchObject({ type: 'max-seq-mha', layers: 2 });
      expect(config.id2label).toEqual({ 0: 'negative', 1: 'positive' });
      const again = await loadClassifier(result.source, { trainable: false });
      try {
        const [a] = await classifyTexts(result.loaded, ['a wonderful film']);
        const [b] = await classifyTexts(again, ['a wonderful film']);
        expect(maxAbsDiff(a.logits, b.logits)).toBeLessThan(1e-6);
      } finally {
        again.model.dispose();
      }
    } finally {
      result.loaded.model.dispose();
    }
  });
});

describe('other encoder families', () => {
  // What the page does with a picked RoBERTa (byte-level BPE) or DistilBERT folder: fine-tune
  // it on pasted data, save the folder, and classify with the saved one.
  it.each([['RoBERTa', TINY_ROBERTA_DIR], ['DistilBERT', TINY_DISTILBERT_DIR]])('a %s folder fine-tunes, saves and classifies', async (_family, dir) => {
    const steps: number[] = [];
    const result = await trainClassifier({
      base: folder(dir),
      data: parseTrainingData(SAMPLE_CSV, 'sample.csv'),
      settings: { head: { type: 'max-seq-mha', layers: 2, numHeads: 2 }, epochs: 1, learningRate: 1e-3, batchSize: 12, maxLength: 16, seed: 3 },
      onStep: (p) => {
        steps.push(p.step);
      },
      signal: new AbortController().signal,
    });
    expect(steps).toEqual([1, 2]);
    try {
      const config = JSON.parse(await result.source.readText('config.json'));
      expect(config.model_type).toBe(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).model_type);
      const again = await loadClassifier(result.source, { trainable: false });
      try {
        const [a] = await classifyTexts(result.loaded, ['a wonderful film']);
        const [b] = await classifyTexts(again, ['a wonderful film']);
        expect(maxAbsDiff(a.logits, b.logits)).toBeLessThan(1e-6);
        expect(['negative', 'positive']).toContain(b.label);
      } finally {
        again.model.dispose();
      }
    } finally {
      result.loaded.model.dispose();
    }
  }, 120_000);
});
