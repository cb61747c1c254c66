import { looksOutOfMemory } from '../src/bench/out-of-memory';

// What failed benchmark children printed here, and errors that are not about memory.
it('recognises WASM and V8 out-of-memory failures, and nothing else', () => {
  for (const oom of [
    'Aborted(). Build with -sASSERTIONS for more info.',
    'RuntimeError: table index is out of bounds',
    'RuntimeError: memory access out of bounds',
    'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
    'RangeError: Array buffer allocation failed',
  ]) expect({ oom, recognised: looksOutOfMemory(oom) }).toEqual({ oom, recognised: true });
  for (const other of ['RangeError: seq 512 is longer than max_position_embeddings 128', 'Error: could not start webgpu: no adapter']) {
    expect({ other, recognised: looksOutOfMemory(other) }).toEqual({ other, recognised: false });
  }
});
