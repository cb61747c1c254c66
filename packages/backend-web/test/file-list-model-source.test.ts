// FileListModelSource over File objects, as an <input type="file"> gives them: the tiny-bert
// fixture loads through it exactly as from disk; picked folders, duplicates and missing files.
import { loadBertWeights, loadTokenizer, MaxPoolBertError, readBertConfig } from '@maxpoolbert/core';
import { TINY_BERT_DIR } from '../../../testing/shared-fixtures';
import { errorOf } from '../../../testing/test-utils';
import { FileListModelSource } from '../src/index';
import { folderBytes, memorySource } from './helpers';

const disk = folderBytes(TINY_BERT_DIR);

/** A File as a webkitdirectory input gives it (Node's File has no webkitRelativePath). */
function picked(bytes: Uint8Array, name: string, relativePath?: string): File {
  const file = new File([bytes as Uint8Array<ArrayBuffer>], name);
  if (relativePath !== undefined) Object.defineProperty(file, 'webkitRelativePath', { value: relativePath });
  return file;
}

describe('FileListModelSource', () => {
  it('loads the tiny-bert folder from picked files exactly as from disk', async () => {
    const source = FileListModelSource.fromFiles([...disk].map(([name, bytes]) => picked(bytes, name)));
    expect(source.location).toBe('picked files');
    expect(source.pathOf('config.json')).toBe('picked files/config.json');
    const config = await readBertConfig(source);
    const reference = memorySource(TINY_BERT_DIR);
    expect(config).toEqual(await readBertConfig(reference));
    const got = await loadBertWeights(source, config);
    const want = await loadBertWeights(reference, config);
    for (const [name, t] of want.encoder) expect(Array.from(got.encoder.get(name)!.data)).toEqual(Array.from(t.data));
    expect((await loadTokenizer(source)).encode('Café naïve').inputIds).toEqual((await loadTokenizer(reference)).encode('Café naïve').inputIds);
  });

  it('names files by the last part of webkitRelativePath and takes the folder as location', async () => {
    const files = [...disk].map(([name, bytes]) => picked(bytes, name, `tiny-bert/${name}`));
    const source = FileListModelSource.fromFiles(files);
    expect(source.location).toBe('tiny-bert');
    expect(source.names().sort()).toEqual([...disk.keys()].sort());
    expect(await source.has('config.json')).toBe(true);
    expect(FileListModelSource.fromFiles(files, 'my model').pathOf('vocab.txt')).toBe('my model/vocab.txt');
  });

  it('reads sizes, ranges and text', async () => {
    const weights = disk.get('model.safetensors')!;
    const source = FileListModelSource.fromFiles([picked(weights, 'model.safetensors'), picked(new TextEncoder().encode('héllo'), 'a.txt')]);
    expect(await source.size('model.safetensors')).toBe(weights.byteLength);
    expect(Array.from(await source.readRange('model.safetensors', 10, 30))).toEqual(Array.from(weights.subarray(10, 30)));
    expect(await source.readText('a.txt')).toBe('héllo');
    const err = await errorOf(() => source.readRange('a.txt', 0, 100));
    expect(err.message).toMatch(/file ended at byte 6, expected data up to byte 100/);
  });

  it('refuses two files with the same name, saying which', () => {
    let err: unknown;
    try {
      FileListModelSource.fromFiles([picked(new Uint8Array(1), 'config.json', 'run/best/config.json'), picked(new Uint8Array(1), 'config.json', 'run/checkpoint/config.json')]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect((err as Error).message).toMatch(/two picked files are both named config\.json \(run\/best\/config\.json and run\/checkpoint\/config\.json\)/);
    expect((err as Error).message).toMatch(/pick the files of one model folder/);
  });

  it('says which file is missing and what was picked', async () => {
    const source = FileListModelSource.fromFiles([picked(new Uint8Array(1), 'vocab.txt')]);
    expect(await source.has('config.json')).toBe(false);
    const err = await errorOf(() => source.read('model.safetensors'));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toBe('picked files/model.safetensors: file not found (pick model.safetensors together with the model\'s other files (picked: vocab.txt))');
    expect((await errorOf(() => readBertConfig(source))).message).toMatch(/picked files\/config\.json: file not found/);
  });
});
