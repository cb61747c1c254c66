import { maskedMean, resolveHeadSpec, type HeadFactory } from '@maxpoolbert/core';
import { parameterlessHead } from './shared/parameterless.js';
import { registerBuiltIn } from './shared/register.js';

/** `mean`: mean of the last layer over real tokens (padding excluded); no pooler by default. */
export const meanHead: HeadFactory = (spec, config) =>
  parameterlessHead(resolveHeadSpec(spec, config, { usePooler: false }), (out) => maskedMean(out.hiddenStates[out.hiddenStates.length - 1], out.mask));

registerBuiltIn('mean', meanHead);
