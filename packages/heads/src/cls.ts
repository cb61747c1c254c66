import { clsVector, resolveHeadSpec, type HeadFactory } from '@maxpoolbert/core';
import { parameterlessHead } from './shared/parameterless.js';
import { registerBuiltIn } from './shared/register.js';

/** `cls`: the last layer's [CLS] vector; with the pooler this is BertForSequenceClassification. */
export const clsHead: HeadFactory = (spec, config) =>
  parameterlessHead(resolveHeadSpec(spec, config, { usePooler: true }), (out) => clsVector(out.hiddenStates[out.hiddenStates.length - 1]));

registerBuiltIn('cls', clsHead);
