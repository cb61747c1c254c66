// The parameter list against the tiny-bert checkpoint written by the reference implementation,
// parameter counts against the formula, and random initialisation statistics.
import { parseBertConfig, presetConfig, type BertConfig } from '../../src/config/index.js';
import { bertParameterShapes, countParameters, initBertParameters } from '../../src/model/bert-parameters.js';
import { readSafetensorsHeader } from '../../src/weights/index.js';
import { bitEqual, memorySource, tinyBertFiles } from './helpers.js';

const tinyFiles = tinyBertFiles();
const tinyConfig = parseBertConfig(JSON.parse(new TextDecoder().decode(tinyFiles.get('config.json')!)));

describe('bertParameterShapes', () => {
  it('is exactly the tensor set of the tiny-bert model.safetensors (names and shapes)', async () => {
    const header = await readSafetensorsHeader(memorySource(tinyFiles), 'model.safetensors');
    const fixture = new Map(header.entries.map((e) => [e.name, e.shape]));
    const ours = bertParameterShapes(tinyConfig);
    expect(fixture.size).toBe(39);
    for (const [name, shape] of fixture) {
      expect(ours.has(name) ? name : `missing: ${name}`).toBe(name);
      expect([name, ours.get(name)]).toEqual([name, shape]);
    }
    const extra = [...ours.keys()].filter((k) => !fixture.has(k));
    expect(extra).toEqual([]);
    expect(ours.size).toBe(fixture.size);
  });

  it('follows the config (layers, vocab, positions, types, intermediate size)', () => {
    const config: BertConfig = { ...tinyConfig, num_hidden_layers: 3, vocab_size: 50, max_position_embeddings: 20, type_vocab_size: 3, intermediate_size: 48 };
    const shapes = bertParameterShapes(config);
    expect(shapes.get('embeddings.word_embeddings.weight')).toEqual([50, 32]);
    expect(shapes.get('embeddings.position_embeddings.weight')).toEqual([20, 32]);
    expect(shapes.get('embeddings.token_type_embeddings.weight')).toEqual([3, 32]);
    expect(shapes.get('encoder.layer.2.intermediate.dense.weight')).toEqual([48, 32]);
    expect(shapes.get('encoder.layer.2.output.dense.weight')).toEqual([32, 48]);
    expect(shapes.has('encoder.layer.3.output.dense.weight')).toBe(false);
    expect(shapes.size).toBe(5 + 16 * 3 + 2);
  });
});

describe('countParameters', () => {
  /** BertModel's parameter count, by hand. */
  function expectedCount(V: number, H: number, L: number, I: number, P: number, types: number): number {
    const embeddings = V * H + P * H + types * H + 2 * H;
    const layer = 4 * (H * H + H) + 2 * (2 * H) + (H * I + I) + (I * H + H);
    const pooler = H * H + H;
    return embeddings + L * layer + pooler;
  }

  it('bert-base: 109,482,240 parameters', () => {
    const config = presetConfig('base', 30522);
    const expected = expectedCount(30522, 768, 12, 3072, 512, 2);
    expect(expected).toBe(109_482_240); // the published BertModel (bert-base-uncased) count
    expect(countParameters(bertParameterShapes(config).values())).toBe(expected);
  });

  it('bert-large and the tiny fixture match the formula too', () => {
    expect(countParameters(bertParameterShapes(presetConfig('large', 30522)).values())).toBe(expectedCount(30522, 1024, 24, 4096, 512, 2));
    expect(expectedCount(30522, 1024, 24, 4096, 512, 2)).toBe(335_141_888);
    expect(countParameters(bertParameterShapes(tinyConfig).values())).toBe(expectedCount(30522, 32, 2, 64, 128, 2));
  });

  it('counts scalars: a scalar shape is 1, an empty dimension 0', () => {
    expect(countParameters([[2, 3], [4], []])).toBe(11);
    expect(countParameters([[0, 5]])).toBe(0);
    expect(countParameters([])).toBe(0);
  });
});

describe('initBertParameters', () => {
  // Small enough to initialise quickly, large enough for the statistics (~200k weights).
  const config: BertConfig = {
    ...presetConfig('tiny', 2000),
    hidden_size: 64, num_attention_heads: 2, intermediate_size: 128, max_position_embeddings: 64,
    initializer_range: 0.05, pad_token_id: 3,
  };

  it('gives every parameter of bertParameterShapes, float32 with the right size', () => {
    const params = initBertParameters(config, 1);
    const shapes = bertParameterShapes(config);
    expect([...params.keys()]).toEqual([...shapes.keys()]);
    for (const [name, t] of params) {
      expect(t.dtype).toBe('float32');
      expect(t.data).toBeInstanceOf(Float32Array);
      expect(t.shape).toEqual(shapes.get(name));
      expect(t.data.length).toBe(shapes.get(name)!.reduce((a, b) => a * b, 1));
    }
  });

  it('is deterministic per seed and differs across seeds', () => {
    const a = initBertParameters(config, 42);
    const b = initBertParameters(config, 42);
    const c = initBertParameters(config, 43);
    for (const [name, t] of a) expect([name, bitEqual(t.data, b.get(name)!.data)]).toEqual([name, true]);
    const w = 'encoder.layer.0.attention.self.query.weight';
    expect(bitEqual(c.get(w)!.data, a.get(w)!.data)).toBe(false);
    // Not just one tensor: every random tensor changes with the seed.
    for (const [name, t] of a) if (name.endsWith('.weight') && !name.includes('LayerNorm')) expect([name, bitEqual(t.data, c.get(name)!.data)]).toEqual([name, false]);
  });

  it('draws linear and embedding weights from N(0, initializer_range)', () => {
    const params = initBertParameters(config, 7);
    const H = config.hidden_size;
    let n = 0;
    let sum = 0;
    let sumSq = 0;
    let within = 0;
    let tensors = 0;
    for (const [name, t] of params) {
      if (!name.endsWith('.weight') || name.includes('LayerNorm')) continue;
      tensors++;
      let tn = 0;
      let tSumSq = 0;
      t.data.forEach((v, i) => {
        if (name === 'embeddings.word_embeddings.weight' && Math.floor(i / H) === config.pad_token_id) return; // zeroed row
        tn++;
        tSumSq += v * v;
        sum += v;
        if (Math.abs(v) < 0.05) within++;
      });
      n += tn;
      sumSq += tSumSq;
      // Every large tensor on its own (>= 4096 draws: std of the estimate <= 1.1%).
      if (tn >= 4096) expect([name, Math.abs(Math.sqrt(tSumSq / tn) / 0.05 - 1) < 0.05]).toEqual([name, true]);
    }
    expect(tensors).toBe(3 + 6 * 2 + 1); // 3 embeddings, 6 linears per layer, the pooler
    const mean = sum / n;
    const std = Math.sqrt(sumSq / n - mean * mean);
    expect(Math.abs(mean)).toBeLessThan(0.001);
    expect(Math.abs(std / 0.05 - 1)).toBeLessThan(0.05);
    expect(Math.abs(std / 0.05 - 1)).toBeLessThan(0.01); // ~200k draws: much tighter in fact
    // Normal, not uniform: ~68.3% within one std.
    expect(Math.abs(within / n - 0.6827)).toBeLessThan(0.01);
  });

  it('zeroes biases, sets LayerNorm to 1/0 and zeroes the padding row', () => {
    const params = initBertParameters(config, 7);
    for (const [name, t] of params) {
      const data = t.data;
      if (name.includes('LayerNorm')) {
        expect([name, data.every((v) => v === (name.endsWith('.weight') ? 1 : 0))]).toEqual([name, true]);
      } else if (name.endsWith('.bias')) {
        expect([name, data.every((v) => v === 0)]).toEqual([name, true]);
      }
    }
    const H = config.hidden_size;
    const words = params.get('embeddings.word_embeddings.weight')!.data;
    const row = (i: number) => Array.from(words.subarray(i * H, (i + 1) * H));
    expect(row(3).every((v) => v === 0)).toBe(true);
    for (const other of [0, 2, 4, 1999]) expect(row(other).some((v) => v !== 0)).toBe(true);
  });
});
