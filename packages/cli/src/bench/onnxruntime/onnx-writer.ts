import * as os from 'node:os';
import protobuf from 'protobufjs/light.js';
import { ONNX_DESCRIPTOR } from './onnx-descriptor.js';

/**
 * ONNX ModelProto files from a small typed description, encoded with protobufjs over the
 * onnx.proto subset in onnx-descriptor.ts. Only what a feed-forward inference graph needs:
 * nodes with scalar/list/tensor attributes, raw-data initializers, typed graph inputs and outputs.
 */

/** TensorProto.DataType values (onnx.proto) of the element types we write. */
export const ONNX_DTYPE = { float32: 1, int32: 6, int64: 7 } as const;
export type OnnxDType = keyof typeof ONNX_DTYPE;

/** AttributeProto.AttributeType values (onnx.proto). */
const ATTR_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

/** A constant tensor: an initializer, or the value of a tensor attribute. */
export interface OnnxTensor {
  name: string;
  dtype: OnnxDType;
  dims: number[];
  data: Float32Array | Int32Array | BigInt64Array;
}

/** Attribute values by kind: an integer, a float, a string, int or float lists, a tensor. */
export type OnnxAttributeValue =
  | { int: number }
  | { float: number }
  | { string: string }
  | { ints: number[] }
  | { floats: number[] }
  | { tensor: OnnxTensor };

export interface OnnxNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  /** Operator-set domain; "" (the default) is the standard ONNX one. */
  domain?: string;
  attributes?: Record<string, OnnxAttributeValue>;
}

/** A graph input or output: element type and shape, a string naming a symbolic dimension. */
export interface OnnxValueInfo {
  name: string;
  dtype: OnnxDType;
  shape: (number | string)[];
}

export interface OnnxModel {
  irVersion: number;
  opsetImports: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  graph: {
    name: string;
    nodes: OnnxNode[];
    initializers: OnnxTensor[];
    inputs: OnnxValueInfo[];
    outputs: OnnxValueInfo[];
  };
}

const root = protobuf.Root.fromJSON(ONNX_DESCRIPTOR);
const ModelProto = root.lookupType('onnx.ModelProto');

/**
 * raw_data is little-endian by definition (onnx.proto); typed arrays are in the host's order.
 * Every platform onnxruntime-node ships for is little-endian, so the bytes are used as they are.
 */
function rawBytes(data: OnnxTensor['data']): Uint8Array {
  if (os.endianness() !== 'LE') throw new Error('ONNX raw_data is little-endian; this host is big-endian');
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function tensorMessage(t: OnnxTensor): Record<string, unknown> {
  const elements = t.dims.reduce((a, b) => a * b, 1);
  if (elements !== t.data.length) throw new Error(`ONNX tensor ${t.name}: dims [${t.dims}] hold ${elements} elements, data has ${t.data.length}`);
  return { name: t.name, dims: t.dims, data_type: ONNX_DTYPE[t.dtype], raw_data: rawBytes(t.data) };
}

function attributeMessage(name: string, v: OnnxAttributeValue): Record<string, unknown> {
  if ('int' in v) return { name, type: ATTR_TYPE.INT, i: v.int };
  if ('float' in v) return { name, type: ATTR_TYPE.FLOAT, f: v.float };
  if ('string' in v) return { name, type: ATTR_TYPE.STRING, s: new TextEncoder().encode(v.string) };
  if ('ints' in v) return { name, type: ATTR_TYPE.INTS, ints: v.ints };
  if ('floats' in v) return { name, type: ATTR_TYPE.FLOATS, floats: v.floats };
  return { name, type: ATTR_TYPE.TENSOR, t: tensorMessage(v.tensor) };
}

function valueInfoMessage(v: OnnxValueInfo): Record<string, unknown> {
  const dim = v.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return { name: v.name, type: { tensor_type: { elem_type: ONNX_DTYPE[v.dtype], shape: { dim } } } };
}

/** The model as ONNX protobuf bytes (what `InferenceSession.create` and onnx tools read). */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const g = model.graph;
  const message = {
    ir_version: model.irVersion,
    producer_name: model.producerName,
    producer_version: model.producerVersion,
    opset_import: model.opsetImports,
    graph: {
      name: g.name,
      node: g.nodes.map((n) => ({
        op_type: n.opType,
        input: n.inputs,
        output: n.outputs,
        ...(n.name ? { name: n.name } : {}),
        ...(n.domain ? { domain: n.domain } : {}),
        attribute: Object.entries(n.attributes ?? {}).map(([name, v]) => attributeMessage(name, v)),
      })),
      initializer: g.initializers.map(tensorMessage),
      input: g.inputs.map(valueInfoMessage),
      output: g.outputs.map(valueInfoMessage),
    },
  };
  // No `verify`/`fromObject` pass: the message is built from typed values above, and a
  // conversion would copy every raw_data buffer (hundreds of MB for bert-base) once more.
  return ModelProto.encode(message).finish();
}

/** A node of a decoded model, as far as inspecting a graph needs. */
export interface DecodedNode {
  opType: string;
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
}

/**
 * The nodes of an ONNX model file, in graph order: to see what onnxruntime made of a graph
 * (its `optimizedModelFilePath` output), e.g. which operators it fused.
 */
export function decodeOnnxNodes(bytes: Uint8Array): DecodedNode[] {
  const model = ModelProto.toObject(ModelProto.decode(bytes), { defaults: true, arrays: true }) as {
    graph?: { node: { op_type: string; domain: string; name: string; input: string[]; output: string[] }[] };
  };
  return (model.graph?.node ?? []).map((n) => ({ opType: n.op_type, domain: n.domain, name: n.name, inputs: n.input, outputs: n.output }));
}
