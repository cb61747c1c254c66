/**
 * The zip container of `pytorch_model.bin` files, in the format `torch.save` writes since PyTorch 1.6:
 *   <archive>/data.pkl      the pickled state dict; tensors refer to storages by persistent id
 *                           ('storage', torch.FloatStorage, '<key>', '<location>', numel)
 *   <archive>/data/<key>    the raw little-endian bytes of each storage (normally stored, not deflated)
 *   <archive>/byteorder     'little' or 'big' (absent in files from before PyTorch 2.1: little)
 *   <archive>/version       the format version
 * This module recognises the format (and the older ones it rejects), finds the archive folder and
 * its pickle, and extracts entries; torch-zip.ts gives the pickle its meaning. Entries are inflated
 * one at a time (fflate's `unzipSync` with a filter), so the raw bytes of one storage sit next to
 * the decoded tensors.
 */
import { unzipSync, type UnzipFileInfo } from 'fflate';
import { MaxPoolBertError, inputError } from '../errors.js';

export const CONVERT_FIX =
  're-save with torch>=1.6 or convert to safetensors (e.g. with transformers: model.save_pretrained(dir, safe_serialization=True))';
export const STATE_DICT_FIX = 'save model.state_dict() with torch.save, or convert the checkpoint to safetensors';

/** Pickled prefix of the legacy (pre-1.6) format: PROTO 2, LONG1 10 bytes, MAGIC_NUMBER 0x1950a86a20f9469cfc6c. */
const LEGACY_MAGIC = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

/** A `torch.save` zip archive, checked to hold one little-endian pickle. */
export interface TorchArchive {
  /** The archive folder inside the zip (`archive`, `pytorch_model`...). */
  name: string;
  /** `<archive>/data.pkl`: the field named in errors about the pickle. */
  pickleField: string;
  /** The bytes of `<archive>/data.pkl`. */
  pickle: Uint8Array;
  /** The bytes of the zip entry with this full name, or undefined when there is none. */
  readEntry(entryName: string): Uint8Array | undefined;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

function zipError(file: string, e: unknown): MaxPoolBertError {
  if (e instanceof MaxPoolBertError) return e;
  return inputError(`not a readable zip archive (${e instanceof Error ? e.message : String(e)})`, {
    file,
    fix: 'the file is truncated or corrupt; download or save it again',
  });
}

function listEntries(bytes: Uint8Array, file: string): UnzipFileInfo[] {
  const infos: UnzipFileInfo[] = [];
  try {
    unzipSync(bytes, {
      filter: (f) => {
        infos.push(f);
        return false;
      },
    });
  } catch (e) {
    throw zipError(file, e);
  }
  return infos;
}

function extractEntry(bytes: Uint8Array, info: UnzipFileInfo, file: string): Uint8Array {
  if (info.compression !== 0 && info.compression !== 8) {
    throw inputError(`zip compression method ${info.compression} is not supported (only stored and deflate)`, {
      file,
      field: info.name,
      fix: CONVERT_FIX,
    });
  }
  let data: Uint8Array | undefined;
  try {
    data = unzipSync(bytes, { filter: (f) => f.name === info.name })[info.name];
  } catch (e) {
    throw zipError(file, e);
  }
  if (!data || data.length !== info.originalSize) {
    throw inputError(`zip entry could not be read (${data?.length ?? 0} of ${info.originalSize} bytes)`, {
      file,
      field: info.name,
      fix: 'the file is truncated or corrupt; download or save it again',
    });
  }
  return data;
}

/**
 * Checks that `bytes` is a `torch.save` zip archive (not a legacy, TorchScript or big-endian one),
 * and extracts its pickle.
 */
export function openTorchArchive(bytes: Uint8Array, file: string): TorchArchive {
  if (bytes.length === 0) throw inputError('file is empty', { file, fix: 'download or save the checkpoint again' });
  if (startsWith(bytes, LEGACY_MAGIC) || bytes[0] === 0x80) {
    throw inputError('legacy (pre-1.6, non-zip) torch.save format is not supported', { file, fix: CONVERT_FIX });
  }
  if (bytes.length > 262 && String.fromCharCode(...bytes.subarray(257, 262)) === 'ustar') {
    throw inputError('legacy tar-based torch.save format is not supported', { file, fix: CONVERT_FIX });
  }
  if (!startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    throw inputError('not a PyTorch checkpoint: no zip signature at the start of the file', {
      file,
      fix: 'expected a pytorch_model.bin written by torch.save; download it again or use model.safetensors',
    });
  }

  const infos = listEntries(bytes, file);
  const byName = new Map(infos.map((f) => [f.name, f]));
  const pickles = infos.filter((f) => /^[^/]+\/data\.pkl$/.test(f.name));
  if (infos.some((f) => /^[^/]+\/constants\.pkl$/.test(f.name))) {
    throw inputError('this is a TorchScript archive (torch.jit.save), not a state dict', { file, fix: STATE_DICT_FIX });
  }
  if (pickles.length !== 1) {
    throw inputError(
      pickles.length === 0
        ? 'zip archive has no <archive>/data.pkl entry: not a torch.save checkpoint'
        : `zip archive has ${pickles.length} data.pkl entries (${pickles.map((p) => p.name).join(', ')})`,
      { file, fix: STATE_DICT_FIX },
    );
  }
  const archive = pickles[0]!.name.slice(0, -'/data.pkl'.length);
  const pklField = `${archive}/data.pkl`;

  const byteorder = byName.get(`${archive}/byteorder`);
  if (byteorder) {
    const order = new TextDecoder().decode(extractEntry(bytes, byteorder, file)).trim();
    if (order === 'big') {
      throw inputError('big-endian checkpoints are not supported', {
        file,
        field: byteorder.name,
        fix: 'load and re-save it with torch on a little-endian machine, or convert it to safetensors',
      });
    }
    if (order !== 'little') throw inputError(`unknown byte order "${order}"`, { file, field: byteorder.name, fix: CONVERT_FIX });
  }

  return {
    name: archive,
    pickleField: pklField,
    pickle: extractEntry(bytes, pickles[0]!, file),
    readEntry(entryName) {
      const info = byName.get(entryName);
      return info ? extractEntry(bytes, info, file) : undefined;
    },
  };
}
