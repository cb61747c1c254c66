// modelFolderFiles → MemoryModelSource → readBertConfig / loadTokenizer / loadBertWeights gives
// back exactly what was written.
import type { BertConfig } from '../../src/config/index.js';
import { readBertConfig, loadBertWeights } from '../../src/model/load-bert.js';
import { modelFolderFiles, type ModelFolderContents } from '../../src/model/model-folder.js';
import { BertTokenizer, loadTokenizer } from '../../src/tokenizer/index.js';
import { concatChunks, loadCheckpoint, readSafetensorsHeader, type HostTensor } from '../../src/weights/index.js';
import { bitEqual, memorySource, tinyBertFiles } from './helpers.js';

const SENTENCES: [string, string?][] = [
  ['Hello, world! This is a tiny BERT.'],
  ['The quick brown fox jumps over the lazy dog.', 'A dog sleeps.'],
  ['unaffable naïve café'],
  ['Ünïcödé, punctuation!? and   spaces\tand [MASK] tokens'],
];

function written(contents: ModelFolderContents) {
  const files = modelFolderFiles(contents);
  return memorySource(new Map([...files].map(([name, chunks]) => [name, concatChunks(chunks)])), '/out/model');
}

async function fixtureContents(): Promise<ModelFolderContents & { original: ReturnType<typeof memorySource> }> {
  const original = memorySource(tinyBertFiles());
  const config = await readBertConfig(original);
  const { tensors } = await loadCheckpoint(original);
  return {
    original,
    config,
    tensors,
    vocabText: await original.readText('vocab.txt'),
    tokenizerConfig: JSON.parse(await original.readText('tokenizer_config.json')) as Record<string, unknown>,
  };
}

describe('modelFolderFiles round trip', () => {
  it('writes the four files of a Hugging Face folder', async () => {
    const contents = await fixtureContents();
    const files = modelFolderFiles(contents);
    expect([...files.keys()].sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer_config.json', 'vocab.txt']);
    const source = written(contents);
    const json = JSON.parse(await source.readText('config.json')) as Record<string, unknown>;
    expect(json.model_type).toBe('bert');
    expect(json.hidden_size).toBe(32);
    expect(json.architectures).toEqual(['BertModel']);
    const header = await readSafetensorsHeader(source, 'model.safetensors');
    expect(header.metadata).toEqual({ format: 'pt' });
    expect(header.entries.every((e) => e.dtype === 'F32')).toBe(true);
    expect((await source.readText('vocab.txt')).endsWith('\n')).toBe(true);
  });

  it('config, tensors and tokenizer come back exactly', async () => {
    const contents = await fixtureContents();
    const source = written(contents);

    const config = await readBertConfig(source);
    expect(config).toEqual(contents.config);

    const weights = await loadBertWeights(source, config);
    expect(weights.encoder.size).toBe(contents.tensors.size);
    for (const [name, t] of contents.tensors) {
      const back = weights.encoder.get(name);
      expect(back ? name : `missing ${name}`).toBe(name);
      expect(back!.shape).toEqual(t.shape);
      expect([name, bitEqual(back!.data, t.data)]).toEqual([name, true]);
    }
    expect(weights.rest.size).toBe(0);
    expect(weights.report.file).toBe('/out/model/model.safetensors');

    const [a, b] = [await loadTokenizer(contents.original), await loadTokenizer(source)];
    expect(b.vocabSize).toBe(a.vocabSize);
    expect(b instanceof BertTokenizer && b.doLowerCase).toBe(true);
    expect(b.modelMaxLength).toBe(128);
    for (const [text, pair] of SENTENCES) {
      const ea = a.encode(text, pair);
      expect(b.encode(text, pair)).toEqual(ea);
      expect(ea.inputIds.length).toBeGreaterThan(3);
    }
  });

  it('keeps extra config fields, bert.-prefixed names and head tensors', async () => {
    const contents = await fixtureContents();
    const config: BertConfig = {
      ...contents.config,
      hidden_dropout_prob: 0.2,
      extra: { ...contents.config.extra, model_type: 'maxpoolbert', id2label: { 0: 'neg', 1: 'pos' }, maxpoolbert_head: { type: 'max-cls', layers: 3 } },
    };
    const head: HostTensor = { dtype: 'float32', shape: [2, 32], data: Float32Array.from({ length: 64 }, (_, i) => i / 7) };
    const tensors = new Map<string, HostTensor>([...contents.tensors].map(([k, v]) => [`bert.${k}`, v]));
    tensors.set('classifier.weight', head);
    const source = written({ ...contents, config, tensors, vocabText: contents.vocabText.replace(/\n$/, '') });

    const back = await readBertConfig(source);
    expect(back).toEqual(config);
    const weights = await loadBertWeights(source, back);
    for (const [name, t] of contents.tensors) expect([name, bitEqual(weights.encoder.get(name)!.data, t.data)]).toEqual([name, true]);
    expect([...weights.rest.keys()]).toEqual(['classifier.weight']);
    expect(bitEqual(weights.rest.get('classifier.weight')!.data, head.data)).toBe(true);
    // vocab.txt without a final newline is written with one, and loads the same vocabulary.
    expect((await loadTokenizer(source)).vocabSize).toBe(30522);
  });
});
