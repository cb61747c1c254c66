/**
 * JSON schemas of the request and response bodies: Fastify validates requests with them (so a
 * bad request never reaches the model) and @fastify/swagger publishes them in the OpenAPI document.
 */

/** A text: anything but empty or blank (as in training data and `predict`). */
const text = { type: 'string', pattern: '\\S', description: 'a non-blank text' } as const;

const inputObject = {
  type: 'object',
  required: ['text'],
  additionalProperties: false,
  properties: { text, text_pair: { ...text, description: 'the second text of a pair (e.g. MRPC, an NLI hypothesis)' } },
} as const;

/** `"text"`, `["text", …]` or `[{"text", "text_pair"?}, …]` (strings and objects may mix). */
export function inputsSchema(maxInputs: number) {
  return {
    anyOf: [
      text,
      { type: 'array', minItems: 1, maxItems: maxInputs, items: { anyOf: [text, inputObject] } },
    ],
    description: `one text, or a list of at most ${maxInputs} texts or {text, text_pair?} objects`,
  } as const;
}

export function classifyBodySchema(maxInputs: number) {
  return { type: 'object', required: ['inputs'], additionalProperties: false, properties: { inputs: inputsSchema(maxInputs) } } as const;
}

export const EMBED_POOLINGS = ['mean', 'cls', 'max'] as const;

export function embedBodySchema(maxInputs: number) {
  return {
    type: 'object', required: ['inputs'], additionalProperties: false,
    properties: {
      inputs: inputsSchema(maxInputs),
      pooling: { type: 'string', enum: EMBED_POOLINGS, default: 'mean', description: 'how token vectors become one: over real tokens only' },
    },
  } as const;
}

const numbers = { type: 'array', items: { type: 'number' } } as const;

export const classifyResponseSchema = {
  type: 'object',
  properties: {
    results: {
      type: 'array',
      description: 'one per input, in order: the fields `maxpoolbert predict` writes',
      items: {
        type: 'object',
        properties: {
          logits: numbers,
          probabilities: { ...numbers, description: 'softmax of the logits, in label-id order' },
          label: { type: 'string', description: 'the most probable label (id2label)' },
          score: { type: 'number', description: 'regression models: the prediction' },
        },
      },
    },
  },
} as const;

export const embedResponseSchema = {
  type: 'object',
  properties: { results: { type: 'array', items: { type: 'object', properties: { embedding: numbers } } } },
} as const;

export const errorSchema = { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] } as const;
