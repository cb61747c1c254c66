import * as fs from 'node:fs';
import * as path from 'node:path';
import { MaxPoolBertError } from '../../src/errors.js';
import { matchParameters, normalizeCheckpointKey, normalizeCheckpointKeys } from '../../src/weights/hf-names.js';
import type { HostTensor } from '../../src/weights/named-tensor.js';
import { readSafetensors, readSafetensorsHeader } from '../../src/weights/safetensors-read.js';
import { readTorchStateDict } from '../../src/weights/torch-zip.js';
import { FsModelSource, HEADS_DIR, LOCAL_FIXTURES, TINY_BERT_DIR } from './fs-source.js';

function t(...shape: number[]): HostTensor {
  return { dtype: 'float32', shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) };
}

/** name -> shape of the tiny-bert BertModel (the canonical names), from its safetensors header. */
async function tinyBertShapes(): Promise<Map<string, number[]>> {
  const h = await readSafetensorsHeader(new FsModelSource(TINY_BERT_DIR), 'model.safetensors');
  return new Map(h.entries.map((e) => [e.name, e.shape]));
}

describe('normalizeCheckpointKey', () => {
  test.each([
    ['bert.embeddings.word_embeddings.weight', 'embeddings.word_embeddings.weight'],
    ['embeddings.word_embeddings.weight', 'embeddings.word_embeddings.weight'],
    ['bert.embeddings.LayerNorm.gamma', 'embeddings.LayerNorm.weight'],
    ['bert.embeddings.LayerNorm.beta', 'embeddings.LayerNorm.bias'],
    ['encoder.layer.3.attention.output.LayerNorm.gamma', 'encoder.layer.3.attention.output.LayerNorm.weight'],
    ['bert.encoder.layer.0.output.LayerNorm.beta', 'encoder.layer.0.output.LayerNorm.bias'],
    ['encoder.layer.0.output.layer_norm.gamma', 'encoder.layer.0.output.layer_norm.weight'],
    ['bert.pooler.dense.weight', 'pooler.dense.weight'],
    ['something.gamma', 'something.gamma'],
    ['encoder.layer.0.attention.self.query.beta', 'encoder.layer.0.attention.self.query.beta'],
    ['head.attention.in_proj_weight', 'head.attention.in_proj_weight'],
    ['head.norm.gamma', 'head.norm.gamma'],
    ['classifier.weight', 'classifier.weight'],
  ])('%s -> %s', (key, name) => {
    expect(normalizeCheckpointKey(key)).toEqual({ name, ignored: false });
  });

  test.each(['cls.predictions.bias', 'cls.predictions.transform.LayerNorm.gamma', 'cls.seq_relationship.weight', 'bert.embeddings.position_ids', 'embeddings.position_ids', 'bert.embeddings.token_type_ids'])(
    '%s is ignored',
    (key) => {
      expect(normalizeCheckpointKey(key).ignored).toBe(true);
    },
  );

  test('normalizeCheckpointKeys keeps order, reports ignored and renamed keys', () => {
    const loaded = new Map([
      ['bert.embeddings.LayerNorm.gamma', t(4)],
      ['cls.predictions.bias', t(10)],
      ['bert.embeddings.position_ids', { dtype: 'int32', shape: [1, 4], data: new Int32Array(4) } as HostTensor],
      ['pooler.dense.bias', t(4)],
      ['classifier.bias', t(2)],
    ]);
    const n = normalizeCheckpointKeys(loaded);
    expect([...n.tensors.keys()]).toEqual(['embeddings.LayerNorm.weight', 'pooler.dense.bias', 'classifier.bias']);
    expect(n.tensors.get('embeddings.LayerNorm.weight')).toBe(loaded.get('bert.embeddings.LayerNorm.gamma'));
    expect(n.ignored).toEqual(['cls.predictions.bias', 'bert.embeddings.position_ids']);
    expect(n.renamed).toEqual(new Map([['embeddings.LayerNorm.weight', 'bert.embeddings.LayerNorm.gamma']]));
  });

  test('two keys for one parameter is an error', () => {
    const loaded = new Map([
      ['bert.pooler.dense.bias', t(4)],
      ['pooler.dense.bias', t(4)],
    ]);
    expect(() => normalizeCheckpointKeys(loaded, { file: 'm/model.safetensors' })).toThrow(
      'm/model.safetensors: pooler.dense.bias: checkpoint keys "bert.pooler.dense.bias" and "pooler.dense.bias" both map to "pooler.dense.bias"',
    );
  });

  test('the torch fixture: bert. prefix and gamma/beta', () => {
    const n = normalizeCheckpointKeys(readTorchStateDict(new Uint8Array(fs.readFileSync(path.join(LOCAL_FIXTURES, 'state-dict-p2.bin'))), 'x'));
    expect(n.tensors.has('embeddings.LayerNorm.weight')).toBe(true);
    expect(n.tensors.has('embeddings.LayerNorm.bias')).toBe(true);
    expect(n.tensors.has('embeddings.word_embeddings.weight')).toBe(true);
    expect(n.ignored).toEqual(['bert.embeddings.position_ids']);
  });
});

describe('matchParameters', () => {
  test('tiny-bert matches itself exactly', async () => {
    const expected = await tinyBertShapes();
    const loaded = await readSafetensors(new FsModelSource(TINY_BERT_DIR), 'model.safetensors');
    const m = matchParameters(expected, loaded, { file: 'tiny-bert/model.safetensors' });
    expect([...m.tensors.keys()]).toEqual([...expected.keys()]);
    expect(m).toMatchObject({ missing: [], unexpected: [], ignored: [] });
    expect(m.tensors.get('pooler.dense.weight')).toBe(loaded.get('pooler.dense.weight'));
  });

  test('classification checkpoints: bert.* mapped, head.* and classifier.* unexpected but kept in rest', async () => {
    const expected = await tinyBertShapes();
    const cls = await readSafetensors(new FsModelSource(path.join(HEADS_DIR, 'cls-k1-h4-pooler-2labels')), 'model.safetensors');
    const m1 = matchParameters(expected, cls, { file: 'cls' });
    expect(m1.tensors.size).toBe(39);
    expect(m1.unexpected).toEqual(['classifier.weight', 'classifier.bias']);
    expect(m1.rest.get('classifier.weight')).toBe(cls.get('classifier.weight'));

    const mha = await readSafetensors(new FsModelSource(path.join(HEADS_DIR, 'max-seq-mha-k2-h4-pooler-2labels')), 'model.safetensors');
    const m2 = matchParameters(expected, mha, { file: 'mha' });
    expect(m2.tensors.size).toBe(39);
    expect(m2.unexpected.sort()).toEqual(
      ['classifier.bias', 'classifier.weight', 'head.attention.in_proj_bias', 'head.attention.in_proj_weight', 'head.attention.out_proj.bias', 'head.attention.out_proj.weight'],
    );
    expect([...m2.rest.keys()].sort()).toEqual(m2.unexpected);
  });

  test('missing parameters are listed in one error with the file and a fix', () => {
    const expected = new Map([
      ['embeddings.word_embeddings.weight', [10, 4]],
      ['encoder.layer.0.attention.self.query.weight', [4, 4]],
      ['pooler.dense.weight', [4, 4]],
    ]);
    let err: MaxPoolBertError | undefined;
    try {
      matchParameters(expected, new Map([['bert.pooler.dense.weight', t(4, 4)], ['model.fc.weight', t(3)]]), { file: '/m/model.safetensors' });
    } catch (e) {
      err = e as MaxPoolBertError;
    }
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err!.message).toContain('/m/model.safetensors: checkpoint is missing 2 parameters: embeddings.word_embeddings.weight, encoder.layer.0.attention.self.query.weight');
    expect(err!.message).toContain('is this a BERT checkpoint?');
    expect(err!.file).toBe('/m/model.safetensors');
  });

  test('allowMissing parameters are returned to be initialised', () => {
    const expected = new Map([
      ['embeddings.word_embeddings.weight', [10, 4]],
      ['pooler.dense.weight', [4, 4]],
      ['pooler.dense.bias', [4]],
    ]);
    const m = matchParameters(expected, new Map([['bert.embeddings.word_embeddings.weight', t(10, 4)], ['cls.predictions.bias', t(10)]]), {
      file: 'f',
      allowMissing: (n) => n.startsWith('pooler.'),
    });
    expect(m.missing).toEqual(['pooler.dense.weight', 'pooler.dense.bias']);
    expect([...m.tensors.keys()]).toEqual(['embeddings.word_embeddings.weight']);
    expect(m.ignored).toEqual(['cls.predictions.bias']);
  });

  test('a shape mismatch names the key and both shapes', () => {
    const expected = new Map([['encoder.layer.0.intermediate.dense.weight', [64, 32]]]);
    let err: MaxPoolBertError | undefined;
    try {
      matchParameters(expected, new Map([['bert.encoder.layer.0.intermediate.dense.weight', t(32, 64)]]), { file: 'ckpt.bin' });
    } catch (e) {
      err = e as MaxPoolBertError;
    }
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err!.message).toContain(
      'ckpt.bin: encoder.layer.0.intermediate.dense.weight: shape mismatch: encoder.layer.0.intermediate.dense.weight (checkpoint key bert.encoder.layer.0.intermediate.dense.weight): expected [64,32], found [32,64]',
    );
    expect(err!.field).toBe('encoder.layer.0.intermediate.dense.weight');
  });
});
