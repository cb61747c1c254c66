// Head settings (defaults, alias, validation errors), the extra MHA layer's initialisation and
// parameter count, and the package's entry points (index and one subpath per head).
import '@tensorflow/tfjs-backend-cpu';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createHead, heads, SeededRng, SequenceClassifier, type Head, type HeadFactory, type HeadSpec } from '@maxpoolbert/core';
import * as index from '@maxpoolbert/heads';
import { clsHead } from '@maxpoolbert/heads/cls';
import { meanHead } from '@maxpoolbert/heads/mean';
import { maxHead } from '@maxpoolbert/heads/max';
import { maxClsHead } from '@maxpoolbert/heads/max-cls';
import { mhaHead } from '@maxpoolbert/heads/mha';
import { maxSeqMhaHead } from '@maxpoolbert/heads/max-seq-mha';
import { errorOf, tinyConfig, tinyEncoder, useCpu } from './helpers';

const ALL = ['cls', 'mean', 'max', 'max-cls', 'mha', 'max-seq-mha'];
const config = tinyConfig(); // H = 16, L = 3, hidden_dropout_prob 0.1, classifier_dropout null
const H = config.hidden_size;

beforeAll(async () => {
  await useCpu();
});

function specOf(spec: HeadSpec, cfg = config): Required<HeadSpec> {
  const head = createHead(spec, cfg, new SeededRng(1));
  const s = head.spec;
  head.dispose();
  return s;
}

describe('registry', () => {
  it('registers the six heads, and the paper order is exported', () => {
    for (const name of ALL) expect([name, heads.has(name)]).toEqual([name, true]);
    expect([...index.PAPER_HEADS]).toEqual(['cls', 'max-cls', 'mha', 'max-seq-mha']);
  });

  it('"maxpoolbert" is an alias of max-seq-mha', () => {
    expect(heads.resolve('maxpoolbert')).toBe('max-seq-mha');
    const spec = specOf({ type: 'maxpoolbert' });
    expect(spec).toEqual(specOf({ type: 'max-seq-mha' }));
    expect(spec.type).toBe('max-seq-mha');
  });

  it('an unknown head name is an error that lists the registered heads', async () => {
    const err = await errorOf(() => createHead({ type: 'attention-pool' }, config, new SeededRng(1)));
    expect(err.message).toContain('unknown head "attention-pool"');
    expect(err.message).toContain('registered:');
    for (const name of ALL) expect(err.message).toContain(name);
  });
});

describe('defaults', () => {
  it.each([
    ['cls', { layers: 1, usePooler: true }],
    ['mean', { layers: 1, usePooler: false }],
    ['max', { layers: 1, usePooler: false }],
    ['max-cls', { layers: 3, usePooler: true }],
    ['mha', { layers: 1, numHeads: 4, usePooler: true }],
    ['max-seq-mha', { layers: 3, numHeads: 4, usePooler: true }],
  ])('%s', (type, expected) => {
    const spec = specOf({ type });
    expect(spec).toMatchObject({ type, ...expected, dropout: 0.1 });
  });

  it('dropout: classifier_dropout overrides hidden_dropout_prob (0 included), the spec overrides both', () => {
    for (const type of ALL) {
      expect([type, specOf({ type }, tinyConfig({ classifier_dropout: 0.3 })).dropout]).toEqual([type, 0.3]);
      expect([type, specOf({ type }, tinyConfig({ classifier_dropout: 0 })).dropout]).toEqual([type, 0]);
      expect([type, specOf({ type }, tinyConfig({ hidden_dropout_prob: 0.2 })).dropout]).toEqual([type, 0.2]);
      expect([type, specOf({ type, dropout: 0.05 }, tinyConfig({ classifier_dropout: 0.3 })).dropout]).toEqual([type, 0.05]);
      expect([type, specOf({ type, dropout: 0 }).dropout]).toEqual([type, 0]);
    }
  });

  it('explicit settings are kept', () => {
    expect(specOf({ type: 'max-seq-mha', layers: 2, numHeads: 8, usePooler: false, dropout: 0.25 })).toEqual({
      type: 'max-seq-mha', layers: 2, numHeads: 8, usePooler: false, dropout: 0.25,
    });
    expect(specOf({ type: 'mean', usePooler: true }).usePooler).toBe(true);
    expect(specOf({ type: 'cls', usePooler: false }).usePooler).toBe(false);
    expect(specOf({ type: 'max-cls', layers: 3 }).layers).toBe(3); // k = L is allowed
  });
});

describe('validation', () => {
  it.each(['max-cls', 'max-seq-mha'])('%s: k > L and k < 1 are errors naming the layer count', async (type) => {
    const err = await errorOf(() => createHead({ type, layers: 4 }, config, new SeededRng(1)));
    expect(err.message).toContain(`head "${type}"`);
    expect(err.message).toContain('layers (k)');
    expect(err.message).toContain("model's 3 layers");
    expect(err.message).toContain('got 4');
    const zero = await errorOf(() => createHead({ type, layers: 0 }, config, new SeededRng(1)));
    expect(zero.message).toContain('got 0');
    const frac = await errorOf(() => createHead({ type, layers: 1.5 }, config, new SeededRng(1)));
    expect(frac.message).toContain('layers (k)');
  });

  it.each(['mha', 'max-seq-mha'])('%s: num_heads must divide hidden_size', async (type) => {
    const err = await errorOf(() => createHead({ type, numHeads: 3 }, config, new SeededRng(1)));
    expect(err.message).toContain(`num_heads 3 does not divide hidden_size ${H}`);
    const zero = await errorOf(() => createHead({ type, numHeads: 0 }, config, new SeededRng(1)));
    expect(zero.message).toContain('num_heads 0');
    for (const n of [1, 2, 4, 8, 16]) expect(specOf({ type, numHeads: n }).numHeads).toBe(n);
  });

  it('a dropout outside [0, 1) is an error', async () => {
    const err = await errorOf(() => createHead({ type: 'cls', dropout: 1 }, config, new SeededRng(1)));
    expect(err.message).toContain('dropout must be in [0, 1)');
  });
});

describe('the extra MHA layer', () => {
  const big = tinyConfig({ hidden_size: 64, num_attention_heads: 4, intermediate_size: 64 });
  const HB = big.hidden_size;

  function stats(values: Float32Array | number[]) {
    const n = values.length;
    let sum = 0;
    let max = 0;
    for (const v of values) {
      sum += v;
      max = Math.max(max, Math.abs(v));
    }
    const mean = sum / n;
    let ss = 0;
    for (const v of values) ss += (v - mean) ** 2;
    return { mean, std: Math.sqrt(ss / n), maxAbs: max };
  }

  it.each(['mha', 'max-seq-mha'])('%s: PyTorch init (xavier in_proj, kaiming out_proj, zero biases)', (type) => {
    const head = createHead({ type }, big, new SeededRng(17));
    const vars = head.variables();
    expect([...vars.keys()].sort()).toEqual(['attention.in_proj_bias', 'attention.in_proj_weight', 'attention.out_proj.bias', 'attention.out_proj.weight']);
    const inW = vars.get('attention.in_proj_weight')!;
    const outW = vars.get('attention.out_proj.weight')!;
    expect(inW.shape).toEqual([3 * HB, HB]);
    expect(outW.shape).toEqual([HB, HB]);
    expect(vars.get('attention.in_proj_bias')!.shape).toEqual([3 * HB]);
    expect(vars.get('attention.out_proj.bias')!.shape).toEqual([HB]);

    const xavier = Math.sqrt(6 / (HB + 3 * HB));
    const inData = inW.dataSync() as Float32Array;
    // q, k and v blocks each look like U(-bound, bound): within the bound, spread to it, std bound/√3.
    for (let block = 0; block < 3; block++) {
      const s = stats(inData.subarray(block * HB * HB, (block + 1) * HB * HB));
      expect(s.maxAbs).toBeLessThanOrEqual(xavier);
      expect(s.maxAbs).toBeGreaterThan(0.95 * xavier);
      expect(Math.abs(s.std / (xavier / Math.sqrt(3)) - 1)).toBeLessThan(0.1);
      expect(Math.abs(s.mean)).toBeLessThan(0.1 * xavier);
    }
    const kaiming = 1 / Math.sqrt(HB);
    const so = stats(outW.dataSync() as Float32Array);
    expect(so.maxAbs).toBeLessThanOrEqual(kaiming);
    expect(so.maxAbs).toBeGreaterThan(0.95 * kaiming);
    expect(Math.abs(so.std / (kaiming / Math.sqrt(3)) - 1)).toBeLessThan(0.1);
    for (const name of ['attention.in_proj_bias', 'attention.out_proj.bias']) {
      expect([name, stats(vars.get(name)!.dataSync() as Float32Array).maxAbs]).toEqual([name, 0]);
    }
    head.dispose();
  });

  it.each(['mha', 'max-seq-mha'])('%s: the same seed gives the same init, another seed another', (type) => {
    const values = (seed: number) => {
      const head = createHead({ type }, config, new SeededRng(seed));
      const out = [...head.variables()].map(([name, v]) => [name, Array.from(v.dataSync())] as const);
      head.dispose();
      return out;
    };
    expect(values(5)).toEqual(values(5));
    expect(values(5)[0]![1]).not.toEqual(values(6)[0]![1]);
  });

  it.each(['mha', 'max-seq-mha'])('%s adds 4H² + 4H parameters', (type) => {
    for (const cfg of [config, big]) {
      const h = cfg.hidden_size;
      const head = createHead({ type }, cfg, new SeededRng(1));
      let n = 0;
      for (const v of head.variables().values()) n += v.size;
      expect(n).toBe(4 * h * h + 4 * h);
      head.dispose();
    }
  });

  it.each(['cls', 'mean', 'max', 'max-cls'])('%s has no parameters', (type) => {
    const head = createHead({ type }, config, new SeededRng(1));
    expect(head.variables().size).toBe(0);
    head.dispose();
  });

  it('SequenceClassifier.headParameterCount and variables() use head.* names', () => {
    const count = (type: string) => {
      const encoder = tinyEncoder(config);
      const head = createHead({ type }, config, new SeededRng(1));
      const classifier = tf.tidy(() => ({ weight: tf.variable(tf.zeros([2, H])), bias: tf.variable(tf.zeros([2])) }));
      const model = new SequenceClassifier(encoder, head, { problemType: 'single_label_classification', names: ['a', 'b'] }, classifier);
      const n = model.headParameterCount();
      const headNames = [...model.variables().keys()].filter((k) => k.startsWith('head.'));
      model.dispose();
      return { n, headNames };
    };
    expect(count('cls')).toEqual({ n: 0, headNames: [] });
    const mha = count('max-seq-mha');
    expect(mha.n).toBe(4 * H * H + 4 * H);
    expect(mha.headNames.sort()).toEqual(['head.attention.in_proj_bias', 'head.attention.in_proj_weight', 'head.attention.out_proj.bias', 'head.attention.out_proj.weight']);
  });

  it('dispose frees the head\'s variables', () => {
    const before = tf.memory();
    for (const type of ['mha', 'max-seq-mha']) {
      const head = createHead({ type }, config, new SeededRng(1));
      expect([type, tf.memory().numTensors]).toEqual([type, before.numTensors + 4]);
      expect([type, tf.memory().numBytes]).toEqual([type, before.numBytes + 4 * (4 * H * H + 4 * H)]);
      head.dispose();
      expect([type, tf.memory().numTensors]).toEqual([type, before.numTensors]);
      expect([type, tf.memory().numBytes]).toEqual([type, before.numBytes]);
    }
  });
});

describe('entry points', () => {
  const SUBPATH_FACTORIES: Record<string, [HeadFactory, HeadFactory]> = {
    cls: [clsHead, index.clsHead],
    mean: [meanHead, index.meanHead],
    max: [maxHead, index.maxHead],
    'max-cls': [maxClsHead, index.maxClsHead],
    mha: [mhaHead, index.mhaHead],
    'max-seq-mha': [maxSeqMhaHead, index.maxSeqMhaHead],
  };

  it('package.json exports one subpath per head, each with a source module', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> };
    const subpaths = Object.keys(pkg.exports).filter((k) => k !== '.' && k !== './package.json').map((k) => k.slice(2));
    expect(subpaths.sort()).toEqual([...ALL].sort());
    for (const name of subpaths) {
      // `default` after `import`: CommonJS require() (Node >= 20.19) and other resolvers get the same file.
      expect(pkg.exports[`./${name}`]).toEqual({ types: `./dist/${name}.d.ts`, import: `./dist/${name}.js`, default: `./dist/${name}.js` });
      expect(Object.keys(pkg.exports[`./${name}`])).toEqual(['types', 'import', 'default']);
      expect([name, fs.existsSync(path.join(__dirname, '..', 'src', `${name}.ts`))]).toEqual([name, true]);
    }
  });

  it.each(ALL)('@maxpoolbert/heads/%s exports the registered factory', (name) => {
    const [fromSubpath, fromIndex] = SUBPATH_FACTORIES[name]!;
    expect(typeof fromSubpath).toBe('function');
    expect(fromSubpath).toBe(fromIndex);
    expect(heads.get(name)).toBe(fromSubpath);
    const head: Head = fromSubpath({ type: name }, config, new SeededRng(1));
    expect(head.spec.type).toBe(name);
    head.dispose();
  });

  it.each(ALL)('importing only @maxpoolbert/heads/%s registers that head alone', (name) => {
    jest.isolateModules(() => {
      // A fresh copy of core (fresh registry), then just the one subpath.
      const core = require('@maxpoolbert/core') as typeof import('@maxpoolbert/core');
      expect(core.heads.names()).toEqual([]);
      require(`@maxpoolbert/heads/${name}`);
      expect(core.heads.names()).toEqual([name]);
      if (name === 'max-seq-mha') expect(core.heads.resolve('maxpoolbert')).toBe('max-seq-mha');
    });
  });
});
