import { zipSync, type Zippable } from 'fflate';
import { concatChunks, MaxPoolBertError } from '@maxpoolbert/core';

/** Weights barely compress; storing them keeps zipping a 440 MB model fast. */
const STORED = /\.(safetensors|bin|h5|msgpack|onnx)$/i;

/**
 * A model folder (file name → byte chunks, as `classifierFolderFiles` and `modelFolderFiles`
 * return it) as one zip file whose entries are "<folderName>/<file>": unzipped, it is a folder
 * `loadClassifier` and Hugging Face `from_pretrained` read directly.
 */
export function zipModelFolder(files: Map<string, Uint8Array[]>, folderName = 'model'): Uint8Array {
  const folder = folderName.replace(/^\/+|\/+$/g, '') || 'model';
  const entries: Zippable = {};
  for (const [name, chunks] of files) {
    const data = concatChunks(chunks);
    entries[`${folder}/${name}`] = [data, { level: STORED.test(name) ? 0 : 6 }];
  }
  return zipSync(entries);
}

export interface DownloadModelFolderOptions {
  /** The zip's name without ".zip", and the folder inside it (default "model"). */
  name?: string;
  /** The page's document (default: the global one); tests pass a stand-in. */
  document?: Document;
  /** How long the object URL stays valid after the click (default 1000 ms; some browsers read it late). */
  revokeAfterMs?: number;
}

/**
 * Saves a model folder as "<name>.zip" through the browser's download: a Blob, an object URL and
 * a clicked `<a download>`; the URL is revoked shortly after.
 */
export function downloadModelFolder(files: Map<string, Uint8Array[]>, opts: DownloadModelFolderOptions = {}): void {
  const doc = opts.document ?? (globalThis as { document?: Document }).document;
  if (!doc) {
    throw new MaxPoolBertError('downloadModelFolder needs a browser page (no document here); in Node, write the folder with @maxpoolbert/backend-node instead');
  }
  // A file name, not a path: characters file systems refuse become "-".
  const name = (opts.name ?? 'model').replace(/\.zip$/i, '').replace(/[\\/:*?"<>|\u0000-\u001f]/g, '-').trim() || 'model';
  const zip = zipModelFolder(files, name);
  const blob = new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
  const url = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = url;
  a.download = `${name}.zip`;
  a.rel = 'noopener';
  a.style.display = 'none';
  doc.body.appendChild(a);
  try {
    a.click();
  } finally {
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), opts.revokeAfterMs ?? 1000);
  }
}
