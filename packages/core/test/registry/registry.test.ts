// The name-keyed registries: the generic Registry, the heads registry, and encoders plugged into
// loadBertModel through config.json's model_type.
import '@tensorflow/tfjs-backend-cpu';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { TINY_BERT_DIR } from '../../../../testing/shared-fixtures';
import { serializeBertConfig, type BertConfig } from '../../src/config/index.js';
import { MaxPoolBertError } from '../../src/errors.js';
import { MemoryModelSource } from '../../src/io/model-source.js';
import { BertEncoder } from '../../src/model/bert-encoder.js';
import { loadBertModel, readBertConfig } from '../../src/model/load-bert.js';
import { encoders, registerEncoder, type EncoderFactory } from '../../src/registry/encoders.js';
import { heads, registerHead, type Head, type HeadFactory } from '../../src/registry/heads.js';
import { Registry } from '../../src/registry/registry.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Registry', () => {
  let r: Registry<number>;
  beforeEach(() => {
    r = new Registry<number>('widget');
  });

  it('registers, gets and has', () => {
    expect(r.has('a')).toBe(false);
    r.register('a', 1);
    r.register('b', 2);
    expect(r.get('a')).toBe(1);
    expect(r.get('b')).toBe(2);
    expect(r.has('a')).toBe(true);
    expect(r.has('c')).toBe(false);
    expect(r.names()).toEqual(['a', 'b']);
  });

  it('resolves aliases to their entry', () => {
    r.register('max-cls', 5, { aliases: ['maxcls', 'max_cls'] });
    expect(r.get('maxcls')).toBe(5);
    expect(r.get('max_cls')).toBe(5);
    expect(r.has('maxcls')).toBe(true);
    expect(r.resolve('maxcls')).toBe('max-cls');
    expect(r.resolve('max-cls')).toBe('max-cls');
    expect(r.names()).toEqual(['max-cls']); // aliases are not entries
  });

  it('resolve of an unknown name throws', () => {
    expect(() => r.resolve('nope')).toThrow(MaxPoolBertError);
  });

  it('refuses a duplicate name unless override is passed', () => {
    r.register('a', 1);
    expect(() => r.register('a', 2)).toThrow(MaxPoolBertError);
    expect(() => r.register('a', 2)).toThrow(/widget "a" is already registered.*override/);
    expect(r.get('a')).toBe(1);
    r.register('a', 3, { override: true });
    expect(r.get('a')).toBe(3);
    expect(r.names()).toEqual(['a']);
  });

  it('an unknown name: the error lists the registered names', () => {
    r.register('alpha', 1);
    r.register('beta', 2);
    const err = (() => {
      try {
        r.get('gamma');
      } catch (e) {
        return e as Error;
      }
      throw new Error('no error');
    })();
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toContain('unknown widget "gamma"');
    expect(err.message).toContain('alpha, beta');
    expect(() => new Registry<number>('thing').get('x')).toThrow(/registered: \(none\)/);
  });

  it('unregister removes the entry and its aliases', () => {
    r.register('a', 1, { aliases: ['aa'] });
    r.register('b', 2, { aliases: ['bb'] });
    expect(r.unregister('a')).toBe(true);
    expect(r.has('a')).toBe(false);
    expect(r.has('aa')).toBe(false);
    expect(() => r.get('aa')).toThrow(/unknown widget "aa"/);
    expect(r.get('bb')).toBe(2);
    expect(r.unregister('a')).toBe(false);
    // The name can be registered again afterwards, without override.
    r.register('a', 4);
    expect(r.get('a')).toBe(4);
  });

  it('rejects empty names and names with whitespace', () => {
    expect(() => r.register('', 1)).toThrow(MaxPoolBertError);
    expect(() => r.register('two words', 1)).toThrow(/non-empty word/);
    expect(() => r.register('tab\tname', 1)).toThrow(/non-empty word/);
    expect(r.names()).toEqual([]);
  });
});

describe('heads registry', () => {
  afterEach(() => {
    heads.unregister('test-custom-head');
  });

  it('registerHead makes a custom factory retrievable by name and alias', () => {
    const factory: HeadFactory = jest.fn((spec): Head => ({
      spec: { type: spec.type, layers: 1, numHeads: 1, usePooler: false, dropout: 0 },
      vector: () => tf.zeros([1, 1]),
      variables: () => new Map(),
      dispose: () => {},
    }));
    registerHead('test-custom-head', factory, { aliases: ['test-custom-alias'] });
    expect(heads.has('test-custom-head')).toBe(true);
    expect(heads.get('test-custom-head')).toBe(factory);
    expect(heads.get('test-custom-alias')).toBe(factory);
    expect(heads.resolve('test-custom-alias')).toBe('test-custom-head');
    expect(() => registerHead('test-custom-head', factory)).toThrow(/already registered/);
    const other: HeadFactory = jest.fn();
    registerHead('test-custom-head', other, { override: true });
    expect(heads.get('test-custom-head')).toBe(other);
  });

  it('unregistering leaves the registry without it', () => {
    expect(heads.has('test-custom-head')).toBe(false);
    expect(() => heads.get('test-custom-head')).toThrow(/unknown head "test-custom-head"/);
  });
});

describe('encoders registry and loadBertModel', () => {
  const files = new Map<string, Uint8Array>();
  for (const name of ['config.json', 'vocab.txt', 'tokenizer_config.json', 'model.safetensors']) {
    files.set(name, new Uint8Array(fs.readFileSync(path.join(TINY_BERT_DIR, name))));
  }
  const withModelType = (modelType: string) => {
    const config = JSON.parse(new TextDecoder().decode(files.get('config.json')!)) as Record<string, unknown>;
    const copy = new Map(files);
    copy.set('config.json', new TextEncoder().encode(JSON.stringify({ ...config, model_type: modelType })));
    return new MemoryModelSource(copy, '/models/custom');
  };

  afterEach(() => {
    encoders.unregister('my-bert');
  });

  it('"bert" is registered by default and cannot be registered twice', () => {
    expect(encoders.has('bert')).toBe(true);
    expect(() => registerEncoder('bert', () => {
      throw new Error('never');
    })).toThrow(/already registered/);
  });

  it('a registered model_type is built by its factory', async () => {
    const seen: BertConfig[] = [];
    const factory: EncoderFactory = jest.fn((config, weights, opts) => {
      seen.push(config);
      return new BertEncoder(config, weights, opts);
    });
    registerEncoder('my-bert', factory);
    const model = await loadBertModel(withModelType('my-bert'), { trainable: false });
    expect(factory).toHaveBeenCalledTimes(1);
    expect(seen[0]!.extra.model_type).toBe('my-bert');
    expect(seen[0]!.hidden_size).toBe(32);
    expect((factory as jest.Mock).mock.calls[0][2]).toEqual({ trainable: false });
    expect(model.encoder).toBe((factory as jest.Mock).mock.results[0]!.value);
    expect(model.config.extra.model_type).toBe('my-bert');
    // Every other field is parsed exactly as for a "bert" config, and model_type stays in place.
    const asBert = await readBertConfig(withModelType('bert'));
    expect(model.config).toEqual({ ...asBert, extra: { ...asBert.extra, model_type: 'my-bert' } });
    expect(Object.keys(model.config.extra)).toEqual(Object.keys(asBert.extra));
    expect(serializeBertConfig(model.config).model_type).toBe('my-bert');
    expect([...model.encoder.variables().values()].every((v) => !v.trainable)).toBe(true);
    model.encoder.dispose();
  });

  it('"bert" and "maxpoolbert" configs use the built-in BERT encoder', async () => {
    const spy = jest.fn<ReturnType<EncoderFactory>, Parameters<EncoderFactory>>((c, w, o) => new BertEncoder(c, w, o));
    registerEncoder('my-bert', spy);
    for (const type of ['bert', 'maxpoolbert']) {
      const model = await loadBertModel(withModelType(type));
      expect(model.encoder).toBeInstanceOf(BertEncoder);
      model.encoder.dispose();
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it('an unregistered, non-BERT model_type is still rejected, naming model_type', async () => {
    for (const type of ['gpt2', 'my-bert']) {
      const err = await (readBertConfig(withModelType(type)).then(
        () => new Error('no error'),
        (e: Error) => e,
      ));
      expect(err).toBeInstanceOf(MaxPoolBertError);
      expect(err.message).toContain('model_type');
      expect(err.message).toContain(type);
      expect(err.message).toContain('/models/custom/config.json');
    }
  });
});
