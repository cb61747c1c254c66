import type { OnnxAttributeValue, OnnxNode, OnnxTensor, OnnxValueInfo } from './onnx-writer.js';

/**
 * Builds an ONNX graph one operator at a time: every call adds a node and returns the name of
 * its output, so a model reads like the tfjs code it mirrors (`b.op('MatMul', [x, w])`).
 * Value names are made unique here; small integer and float constants become shared initializers.
 */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  readonly inputs: OnnxValueInfo[] = [];
  readonly outputs: OnnxValueInfo[] = [];
  private readonly used = new Set<string>();
  private readonly constants = new Map<string, string>();

  /** A fresh value name starting with `base` (`base`, then `base_1`, `base_2`...). */
  private unique(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  input(info: OnnxValueInfo): string {
    if (this.used.has(info.name)) throw new Error(`ONNX graph: the input name ${info.name} is taken`);
    this.used.add(info.name);
    this.inputs.push(info);
    return info.name;
  }

  /** Declares `value` (the output of some node) a graph output. */
  output(value: string, info: Omit<OnnxValueInfo, 'name'>): void {
    this.outputs.push({ name: value, ...info });
  }

  /** A weight or other constant tensor, under its own name (e.g. the Hugging Face parameter name). */
  initializer(name: string, dtype: OnnxTensor['dtype'], dims: number[], data: OnnxTensor['data']): string {
    if (this.used.has(name)) throw new Error(`ONNX graph: the initializer name ${name} is taken`);
    this.used.add(name);
    this.initializers.push({ name, dtype, dims, data });
    return name;
  }

  /** An int64 constant (shapes, axes, slice bounds), one initializer per distinct value. */
  int64(values: number[], dims: number[] = [values.length]): string {
    return this.constant('int64', values, dims, () => BigInt64Array.from(values, (v) => BigInt(v)));
  }

  /** A float32 constant (scalars such as 1, ½, √2), one initializer per distinct value. */
  float(values: number[], dims: number[] = []): string {
    return this.constant('float32', values, dims, () => Float32Array.from(values));
  }

  private constant(dtype: OnnxTensor['dtype'], values: number[], dims: number[], data: () => OnnxTensor['data']): string {
    const key = `${dtype}:${dims.join('x')}:${values.join(',')}`;
    let name = this.constants.get(key);
    if (!name) {
      name = this.unique(`const_${dtype}_${values.join('_').replace(/[^\w]/g, 'm').slice(0, 24)}`);
      this.initializers.push({ name, dtype, dims, data: data() });
      this.constants.set(key, name);
    }
    return name;
  }

  /**
   * Adds `opType(inputs)` and returns its output's name (`name`, or one made from the op type).
   * Node names follow their output so onnxruntime's logs and profiles point back at the model.
   */
  op(opType: string, inputs: string[], opts: { name?: string; attributes?: Record<string, OnnxAttributeValue>; domain?: string } = {}): string {
    const out = this.unique(opts.name ?? opType.toLowerCase());
    this.nodes.push({ opType, inputs, outputs: [out], name: `${opType}_${out}`, domain: opts.domain, attributes: opts.attributes });
    return out;
  }
}
