export * from './example.js';
export * from './delimited.js';
export * from './jsonl.js';
export * from './table.js';
export * from './glue.js';
export * from './subset.js';
export * from './batches.js';
