/**
 * What WASM and V8 say when a step does not fit in memory. When the 4 GB WASM heap cannot grow,
 * emscripten aborts (`Aborted()`) or, when the failed allocation is used anyway, the module traps
 * later: "memory access out of bounds" or "table index is out of bounds" (seen here for bert-base
 * training at 8×128).
 */
const OUT_OF_MEMORY =
  /Aborted\(\)|out of memory|memory access out of bounds|table index is out of bounds|could not grow|Array buffer allocation failed|Cannot allocate|heap limit/i;

/** Whether a failed benchmark's output says it ran out of memory (then a smaller batch may fit). */
export function looksOutOfMemory(output: string): boolean {
  return OUT_OF_MEMORY.test(output);
}
