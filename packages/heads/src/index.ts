/**
 * Every built-in pooling head. Importing this module registers them all into core's head
 * registry; each is also its own subpath export (e.g. `@maxpoolbert/heads/max-seq-mha`), for
 * bundles that want one.
 */
export { clsHead } from './cls.js';
export { meanHead } from './mean.js';
export { maxHead } from './max.js';
export { maxClsHead } from './max-cls.js';
export { mhaHead } from './mha.js';
export { maxSeqMhaHead } from './max-seq-mha.js';
export { MultiheadAttention } from './shared/multihead-attention.js';
export { elementwiseMax, lastLayers } from './shared/layers.js';
export { parameterlessHead } from './shared/parameterless.js';

/** The paper's four heads, in the order the paper reports them. */
export const PAPER_HEADS = ['cls', 'max-cls', 'mha', 'max-seq-mha'] as const;
