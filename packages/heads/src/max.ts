import { maskedMax, resolveHeadSpec, type HeadFactory } from '@maxpoolbert/core';
import { parameterlessHead } from './shared/parameterless.js';
import { registerBuiltIn } from './shared/register.js';

/** `max`: element-wise max of the last layer over real tokens (padding never wins); no pooler by default. */
export const maxHead: HeadFactory = (spec, config) =>
  parameterlessHead(resolveHeadSpec(spec, config, { usePooler: false }), (out) => maskedMax(out.hiddenStates[out.hiddenStates.length - 1], out.mask));

registerBuiltIn('max', maxHead);
