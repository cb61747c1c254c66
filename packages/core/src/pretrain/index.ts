// Masked-LM (continued) pre-training: text → examples → masks → the training loop.
export { textLines, type TextLine } from './text-lines.js';
export type { MlmTokenizer } from './mlm-tokenizer.js';
export { groupTexts, lineByLine, GROUP_TEXTS_LINES, type MlmExample } from './mlm-examples.js';
export { splitHeldOut } from './held-out.js';
export { prepareMlmData, type MlmData, type MlmDataOptions } from './mlm-data.js';
export { maskBatch, continuationTest, type MaskedBatch, type MaskingOptions } from './masking.js';
export { DEFAULT_PRETRAIN_OPTIONS, DEFAULT_VALIDATION_SPLIT, validatePretrainOptions, type PretrainOptions } from './pretrain-options.js';
export type { MlmEvalRecord, PretrainState } from './pretrain-state.js';
export {
  pretrain, evaluateMaskedLm, maskValidation, maskingOptionsFor, batchMaskRng, epochOrder, VALIDATION_MASK_SEED,
  type PretrainArgs, type PretrainCallbacks, type PretrainStepProgress,
} from './pretrainer.js';
