/**
 * Benchmarks that run on any tfjs backend (no Node or DOM APIs): FLOP counts, timing, the
 * backend's matmul ceiling, inference and training-step benchmarks of random-weight
 * classifiers, per-kernel profiles and Markdown summaries. The CLI's `bench` command adds
 * child processes, peak RSS and files.
 */
export * from './flops.js';
export * from './timing.js';
export * from './matmul-ceiling.js';
export * from './bench-model.js';
export * from './kernel-profile.js';
export * from './step-bench.js';
export * from './inference-bench.js';
export * from './train-step-bench.js';
export * from './run-bench.js';
export * from './summary.js';
export * from './tokenizer-bench.js';
