// zipModelFolder / downloadModelFolder: the zip holds "<folder>/<file>" entries with the exact
// bytes (fflate's unzipSync reads them back), and the download goes through a Blob, an object
// URL and a clicked <a download>, revoked afterwards.
import { unzipSync } from 'fflate';
import { MaxPoolBertError } from '@maxpoolbert/core';
import { downloadModelFolder, zipModelFolder } from '../src/index';

const enc = new TextEncoder();
const weights = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31 + 7) & 0xff);
const folder = new Map<string, Uint8Array[]>([
  ['config.json', [enc.encode('{"model_type": "bert"}\n')]],
  ['model.safetensors', [weights.subarray(0, 1234), weights.subarray(1234)]],
  ['vocab.txt', [enc.encode('[PAD]\n[UNK]\n'), enc.encode('[CLS]\n[SEP]\n')]],
]);

function unzipped(zip: Uint8Array): Record<string, number[]> {
  return Object.fromEntries(Object.entries(unzipSync(zip)).map(([k, v]) => [k, Array.from(v)]));
}

describe('zipModelFolder', () => {
  it('round-trips every file, chunks joined, under the folder name', () => {
    expect(unzipped(zipModelFolder(folder, 'sst2-maxpool'))).toEqual({
      'sst2-maxpool/config.json': Array.from(enc.encode('{"model_type": "bert"}\n')),
      'sst2-maxpool/model.safetensors': Array.from(weights),
      'sst2-maxpool/vocab.txt': Array.from(enc.encode('[PAD]\n[UNK]\n[CLS]\n[SEP]\n')),
    });
  });

  it('uses "model" as the default folder', () => {
    expect(Object.keys(unzipSync(zipModelFolder(folder))).sort()).toEqual(['model/config.json', 'model/model.safetensors', 'model/vocab.txt']);
  });
});

describe('downloadModelFolder', () => {
  interface FakeAnchor { href: string; download: string; rel: string; style: Record<string, string>; click: jest.Mock; remove: jest.Mock }
  const created: FakeAnchor[] = [];
  const appended: unknown[] = [];
  const fakeDocument = {
    createElement: jest.fn((tag: string) => {
      expect(tag).toBe('a');
      const a: FakeAnchor = { href: '', download: '', rel: '', style: {}, click: jest.fn(), remove: jest.fn() };
      created.push(a);
      return a;
    }),
    body: { appendChild: jest.fn((el: unknown) => appended.push(el)) },
  } as unknown as Document;

  let blobs: Blob[];
  let revoked: string[];
  beforeEach(() => {
    created.length = 0;
    appended.length = 0;
    blobs = [];
    revoked = [];
    jest.spyOn(URL, 'createObjectURL').mockImplementation((b: Blob | MediaSource) => {
      blobs.push(b as Blob);
      return `blob:fake/${blobs.length}`;
    });
    jest.spyOn(URL, 'revokeObjectURL').mockImplementation((u: string) => void revoked.push(u));
  });
  afterEach(() => jest.restoreAllMocks());

  it('clicks an <a download="<name>.zip"> pointing at a zip Blob, then revokes the URL', async () => {
    downloadModelFolder(folder, { name: 'my-model', document: fakeDocument, revokeAfterMs: 0 });
    expect(created).toHaveLength(1);
    const a = created[0];
    expect(a).toMatchObject({ href: 'blob:fake/1', download: 'my-model.zip' });
    expect(appended).toEqual([a]);
    expect(a.click).toHaveBeenCalledTimes(1);
    expect(a.remove).toHaveBeenCalledTimes(1);
    expect(blobs[0].type).toBe('application/zip');
    const zip = new Uint8Array(await blobs[0].arrayBuffer());
    expect(Object.keys(unzipSync(zip)).sort()).toEqual(['my-model/config.json', 'my-model/model.safetensors', 'my-model/vocab.txt']);
    await new Promise((r) => setTimeout(r, 10));
    expect(revoked).toEqual(['blob:fake/1']);
  });

  it('defaults the name to "model" and makes a name safe as a file name', async () => {
    downloadModelFolder(folder, { document: fakeDocument, revokeAfterMs: 0 });
    downloadModelFolder(folder, { name: 'runs/sst2: best.zip', document: fakeDocument, revokeAfterMs: 0 });
    expect(created.map((a) => a.download)).toEqual(['model.zip', 'runs-sst2- best.zip']);
    await new Promise((r) => setTimeout(r, 10));
    expect(revoked).toHaveLength(2);
  });

  it('says what to do where there is no document', () => {
    expect(() => downloadModelFolder(folder)).toThrow(MaxPoolBertError);
    expect(() => downloadModelFolder(folder)).toThrow(/needs a browser page/);
  });
});
