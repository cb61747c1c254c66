import * as fs from 'node:fs';
import * as path from 'node:path';
import { MaxPoolBertError } from '../../src/errors.js';
import { MemoryModelSource } from '../../src/io/model-source.js';
import { concatChunks, encodeSafetensors, loadCheckpoint } from '../../src/weights/index.js';
import { FsModelSource, LOCAL_FIXTURES, SpySource, TINY_BERT_DIR, errorOf } from './fs-source.js';

const torchBin = () => new Uint8Array(fs.readFileSync(path.join(LOCAL_FIXTURES, 'state-dict-p2.bin')));

describe('loadCheckpoint', () => {
  test('reads model.safetensors through ranges, with on-disk dtypes', async () => {
    const spy = new SpySource(new FsModelSource(TINY_BERT_DIR));
    const c = await loadCheckpoint(spy);
    expect(c.format).toBe('safetensors');
    expect(c.file).toBe(path.join(TINY_BERT_DIR, 'model.safetensors'));
    expect(c.tensors.size).toBe(39);
    expect(Object.values(c.dtypes).every((d) => d === 'F32')).toBe(true);
    expect(Object.keys(c.dtypes)).toHaveLength(39);
    expect(spy.calls.some((x) => x.method === 'read')).toBe(false);
    // header read once (prefix + JSON), then the tensors
    expect(spy.calls.filter((x) => x.method === 'readRange')).toHaveLength(2 + 39);
  });

  test('falls back to pytorch_model.bin', async () => {
    const c = await loadCheckpoint(new MemoryModelSource(new Map([['pytorch_model.bin', torchBin()]]), '/models/old'));
    expect(c.format).toBe('pytorch');
    expect(c.file).toBe('/models/old/pytorch_model.bin');
    expect(c.dtypes['bert.embeddings.LayerNorm.gamma']).toBe('F16');
    expect(c.dtypes['bert.embeddings.position_ids']).toBe('I64');
    expect(c.tensors.get('transposed')!.shape).toEqual([3, 2]);
  });

  test('prefers model.safetensors when both exist', async () => {
    const st = concatChunks(encodeSafetensors({ w: { dtype: 'float32', shape: [1], data: new Float32Array([3]) } }));
    const c = await loadCheckpoint(new MemoryModelSource(new Map([['pytorch_model.bin', torchBin()], ['model.safetensors', st]])));
    expect(c.format).toBe('safetensors');
    expect([...c.tensors.keys()]).toEqual(['w']);
    expect(c.dtypes).toEqual({ w: 'F32' });
  });

  test('neither file: names the folder, both file names, and how to convert', async () => {
    const err = await errorOf(() => loadCheckpoint(new MemoryModelSource(new Map([['config.json', new Uint8Array(2)]]), '/models/empty')));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toContain('/models/empty: no model.safetensors or pytorch_model.bin in this folder');
    expect(err.message).toContain('save_pretrained');

    const tf = await errorOf(() => loadCheckpoint(new MemoryModelSource(new Map([['tf_model.h5', new Uint8Array(2)]]), '/models/tf')));
    expect(tf.message).toContain('(found tf_model.h5)');
    expect(tf.message).toContain('from_tf=True');

    const sharded = await errorOf(() => loadCheckpoint(new MemoryModelSource(new Map([['model.safetensors.index.json', new Uint8Array(2)]]), '/models/big')));
    expect(sharded.message).toContain('/models/big: found model.safetensors.index.json, but sharded checkpoints are not supported');
  });

  test('errors from a corrupt file name that file', async () => {
    const err = await errorOf(() => loadCheckpoint(new MemoryModelSource(new Map([['model.safetensors', new Uint8Array(3)]]), '/models/bad')));
    expect(err.message).toContain('/models/bad/model.safetensors: file is 3 bytes');
  });
});
