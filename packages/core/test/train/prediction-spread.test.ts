// The failed-run signal: every evaluation records how varied its dev predictions were, so a
// compare can tell a run that collapsed to one class from one that learned something.
import * as tf from '@tensorflow/tfjs-core';
import { evaluate, fineTune, predictionSpread } from '@maxpoolbert/core';
import { buildModel, sentimentDataset, tokenizer, trainOptions, useCpu } from './helpers';

beforeAll(async () => {
  await useCpu();
  tf.enableProdMode();
});

const dev = sentimentDataset(12, 6, 2, 'dev.tsv');

describe('predictionSpread', () => {
  it('counts distinct predictions and the share of the most frequent one', () => {
    expect(predictionSpread([1, 1, 0, 1])).toEqual({ distinct: 2, majorityShare: 0.75 });
    expect(predictionSpread([2, 2, 2])).toEqual({ distinct: 1, majorityShare: 1 });
    expect(predictionSpread([0.25, -1.5, 0.25, 3])).toEqual({ distinct: 3, majorityShare: 0.5 }); // regression values
    expect(predictionSpread([])).toEqual({ distinct: 0, majorityShare: NaN });
  });
});

describe('evaluate', () => {
  it('reports the spread of the predictions it returns', async () => {
    const model = buildModel();
    try {
      const r = await evaluate(model, tokenizer, dev, ['accuracy'], { batchSize: 8, maxLength: 16 });
      expect(r.predictionSpread).toEqual(predictionSpread(r.predictions));
    } finally {
      model.dispose();
    }
  });

  it('sees a model stuck at one class: one distinct class for every example', async () => {
    const model = buildModel();
    try {
      // A classifier bias this large outweighs anything the encoder says: always "positive".
      model.variables().get('classifier.bias')!.assign(tf.tensor1d([0, 1000]));
      const r = await evaluate(model, tokenizer, dev, ['accuracy'], { batchSize: 8, maxLength: 16 });
      expect(r.predictionSpread).toEqual({ distinct: 1, majorityShare: 1 });
      expect(r.metrics.accuracy).toBeCloseTo(12 / 18, 12);
    } finally {
      model.dispose();
    }
  });
});

describe('fineTune', () => {
  it('records the spread in every evaluation of the history', async () => {
    const model = buildModel();
    try {
      const train = sentimentDataset(8, 8, 1, 'train.tsv');
      const state = await fineTune({
        model, tokenizer, train, dev, metrics: ['accuracy'], mainMetric: 'accuracy', options: trainOptions({ epochs: 2, evalEvery: 1 }),
      });
      expect(state.history.length).toBeGreaterThan(1);
      for (const h of state.history) {
        expect(h.predictionSpread!.distinct).toBeGreaterThanOrEqual(1);
        expect(h.predictionSpread!.distinct).toBeLessThanOrEqual(2);
        // Two classes: the more frequent one has at least half the examples.
        expect(h.predictionSpread!.majorityShare).toBeGreaterThanOrEqual(0.5);
        expect(h.predictionSpread!.majorityShare).toBeLessThanOrEqual(1);
      }
    } finally {
      model.dispose();
    }
  });
});
