/** The shared family fixtures (tiny-roberta, tiny-distilbert, tiny-bert-mlm) as in-memory folders we may alter. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES_DIR } from '../../../../testing/shared-fixtures';
import { MemoryModelSource } from '../../src/io/model-source.js';
import { concatChunks, encodeSafetensors, readSafetensors, type HostTensor } from '../../src/weights/index.js';

export type FixtureName = 'tiny-roberta' | 'tiny-distilbert' | 'tiny-bert-mlm';

export function fixtureFiles(name: FixtureName, skip: string[] = ['tokenizer-goldens.jsonl']): Map<string, Uint8Array> {
  const dir = path.join(FIXTURES_DIR, name);
  const files = new Map<string, Uint8Array>();
  for (const file of fs.readdirSync(dir)) {
    if (skip.includes(file) || file === 'README.md') continue;
    const b = fs.readFileSync(path.join(dir, file));
    files.set(file, new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  }
  return files;
}

export function fixtureSource(name: FixtureName, changes: Record<string, Uint8Array | string | null> = {}): MemoryModelSource {
  const files = fixtureFiles(name);
  for (const [file, content] of Object.entries(changes)) {
    if (content === null) files.delete(file);
    else files.set(file, typeof content === 'string' ? new TextEncoder().encode(content) : content);
  }
  return new MemoryModelSource(files, `/fixtures/${name}`);
}

export async function fixtureTensors(name: FixtureName): Promise<Map<string, HostTensor>> {
  return readSafetensors(fixtureSource(name), 'model.safetensors');
}

export const safetensorsBytes = (tensors: Map<string, HostTensor>) => concatChunks(encodeSafetensors(tensors));

export function fixtureConfig(name: FixtureName): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, name, 'config.json'), 'utf8')) as Record<string, unknown>;
}

export interface FamilyGoldens {
  input_ids: number[][];
  attention_mask: number[][];
  token_type_ids?: number[][];
  position_ids?: number[][];
  hidden_states: number[][][][];
  pooler_output?: number[][];
  last_hidden_state?: number[][][];
}

export function fixtureGoldens(name: FixtureName): FamilyGoldens {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, name, 'goldens.json'), 'utf8')) as FamilyGoldens;
}

export function tensor(shape: number[], fill = 0.5): HostTensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return { dtype: 'float32', shape, data: Float32Array.from({ length: size }, (_, i) => fill * Math.sin(i + 1)) };
}
