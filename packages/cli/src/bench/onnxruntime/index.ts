/**
 * The onnxruntime-node reference for `maxpoolbert bench`: our BERT as an ONNX graph (bert-onnx),
 * encoded with protobufjs (onnx-writer), run and timed like a bench configuration (runner).
 */
export { runOnnxruntimeConfig, benchClassifierWeights, ONNXRUNTIME_BACKEND, type OnnxruntimeBenchConfig } from './runner.js';
export { buildBertOnnx, bertOnnxModel, BERT_ONNX_OPSET, type BertOnnxOptions } from './bert-onnx.js';
export { encodeOnnxModel, decodeOnnxNodes, type OnnxModel, type DecodedNode } from './onnx-writer.js';
export { loadOnnxruntime, onnxruntimeVersion, referenceSessionOptions, createReferenceSession } from './ort-session.js';
export { measureOrtMatmulCeiling } from './ort-ceiling.js';
