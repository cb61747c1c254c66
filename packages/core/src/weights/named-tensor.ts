/**
 * The host-side tensor every checkpoint reader produces and every writer consumes: a flat,
 * row-major typed array plus its shape. Floating-point checkpoints (F16, BF16, F64...) are
 * widened or narrowed to float32, integer ones to int32, so the rest of the toolkit only ever
 * deals with these two dtypes.
 */
export type TensorDType = 'float32' | 'int32';

export interface HostTensor {
  dtype: TensorDType;
  shape: number[];
  data: Float32Array | Int32Array;
}

/** Number of elements of a tensor of that shape (1 for a scalar, shape `[]`). */
export function numElements(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** `[2,3]`-style rendering for messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** Whether two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
