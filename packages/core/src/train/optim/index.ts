export { AdamW, shouldDecay, type AdamWOptions, type AdamWState } from './adamw.js';
export {
  linearWarmupDecay,
  warmupStepsFrom,
  type LrSchedule,
  type LinearWarmupDecayOptions,
  type WarmupStepsOptions,
} from './schedule.js';
export { clipByGlobalNorm, clipCoefficient, scaleGradient, globalNorm, type ClippedGradients } from './clip.js';
export { GradientAccumulator } from './accumulate.js';
export { ADAMW_UPDATE_KERNEL, hasFusedAdamW, fusedAdamWUpdate, type AdamWUpdateAttrs } from './adamw-kernel.js';
