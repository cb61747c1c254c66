/** What Ajv (Fastify's validator) reports for one failed rule. */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** "/inputs/2/text" → "inputs[2].text"; the body itself is "body". */
function fieldName(instancePath: string): string {
  if (!instancePath) return 'body';
  return instancePath.slice(1).split('/').map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i ? `.${part}` : part)).join('');
}

const INPUTS_SHAPE = 'a text, a list of texts or a list of {"text", "text_pair"?} objects';

/**
 * One line naming the field and the fix, from Ajv's errors. A value that matches none of the
 * `anyOf` shapes yields an error per shape; the most telling one is the deepest, and an array of
 * the right type that is empty or too long says so rather than "must be a string".
 */
export function validationMessage(errors: readonly SchemaError[]): string {
  const concrete = errors.filter((e) => e.keyword !== 'anyOf');
  const depth = (e: SchemaError) => e.instancePath.split('/').length;
  const deepest = Math.max(...concrete.map(depth), 0);
  const sized = concrete.find((e) => e.keyword === 'minItems' || e.keyword === 'maxItems');
  const chosen = sized && depth(sized) === deepest ? sized : concrete.find((e) => depth(e) === deepest && e.keyword !== 'type') ?? concrete.find((e) => depth(e) === deepest);
  if (!chosen) return `body is invalid: ${errors[0]?.message ?? 'unknown error'}`;
  const field = fieldName(chosen.instancePath);
  const shapeOf = (name: string) => (/^inputs(\[\d+\])?$/.test(name) ? (name === 'inputs' ? INPUTS_SHAPE : 'a text or a {"text", "text_pair"?} object') : undefined);
  switch (chosen.keyword) {
    case 'required':
      return `${field} is missing "${String(chosen.params.missingProperty)}"${field === 'body' ? ' (send {"inputs": …})' : ''}`;
    case 'additionalProperties':
      return `${field} has an unknown field "${String(chosen.params.additionalProperty)}"`;
    case 'minItems':
      return `${field} is empty: send at least one input`;
    case 'maxItems':
      return `${field} has more than ${String(chosen.params.limit)} items: split it into several requests`;
    case 'pattern':
      return `${field} is empty or blank: send a text with at least one non-space character`;
    case 'enum':
      return `${field} must be one of ${(chosen.params.allowedValues as unknown[]).join(', ')}`;
    case 'type': {
      const shape = shapeOf(field);
      return shape ? `${field} must be ${shape}` : `${field} must be ${String(chosen.params.type)}`;
    }
    default:
      return `${field} ${chosen.message ?? 'is invalid'}`;
  }
}
