import { bertOnnxModel, buildBertOnnx } from '../../src/bench/onnxruntime/bert-onnx';
import { decodeOnnxNodes, encodeOnnxModel, type OnnxModel } from '../../src/bench/onnxruntime/onnx-writer';
import { initBertParameters, presetConfig } from '@maxpoolbert/core';

/**
 * The ONNX encoding, without onnxruntime: the bytes of a small model against a hand-decoded
 * protobuf (field numbers and wire types of onnx.proto), and a round trip of the BERT graph.
 */
const hex = (s: string) => Uint8Array.from(s.replace(/#.*$/gm, '').trim().split(/\s+/).map((b) => parseInt(b, 16)));

it('writes onnx.proto field numbers and wire types (a hand-decoded model)', () => {
  const model: OnnxModel = {
    irVersion: 8,
    opsetImports: [{ domain: '', version: 17 }],
    producerName: 'm',
    producerVersion: '1',
    graph: {
      name: 'g',
      nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'] }],
      initializers: [{ name: 'w', dtype: 'float32', dims: [2], data: Float32Array.from([1, 2]) }],
      inputs: [{ name: 'x', dtype: 'float32', shape: [2] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: ['n'] }],
    },
  };
  expect(Array.from(encodeOnnxModel(model))).toEqual(Array.from(hex(`
    08 08                        # 1 ir_version = 8
    12 01 6d                     # 2 producer_name = "m"
    1a 01 31                     # 3 producer_version = "1"
    3a 4b                        # 7 graph, 75 bytes:
      0a 10                      #   1 node, 16 bytes:
        0a 01 78                 #     1 input "x"
        12 01 79                 #     2 output "y"
        22 08 49 64 65 6e 74 69 74 79  # 4 op_type "Identity"
      12 01 67                   #   2 name "g"
      2a 11                      #   5 initializer, 17 bytes:
        08 02                    #     1 dims 2 (proto2: unpacked)
        10 01                    #     2 data_type FLOAT
        42 01 77                 #     8 name "w"
        4a 08 00 00 80 3f 00 00 00 40  # 9 raw_data 1.0f, 2.0f little-endian
      5a 0f                      #   11 input, 15 bytes:
        0a 01 78                 #     1 name "x"
        12 0a 0a 08              #     2 type, 1 tensor_type:
          08 01                  #       1 elem_type FLOAT
          12 04 0a 02 08 02      #       2 shape: dim { dim_value 2 }
      62 10                      #   12 output, 16 bytes:
        0a 01 79                 #     1 name "y"
        12 0b 0a 09              #     2 type, 1 tensor_type:
          08 01                  #       1 elem_type FLOAT
          12 05 0a 03 12 01 6e   #       2 shape: dim { dim_param "n" }
    42 02 10 11                  # 8 opset_import { version 17 } (domain "", the default, is left out)
  `)));
});

it('decodes what it encodes: the BERT graph keeps every node, in order', () => {
  const config = { ...presetConfig('tiny', 1100), num_hidden_layers: 1 };
  const described = bertOnnxModel(config, initBertParameters(config, 0), { hiddenStates: true });
  const nodes = decodeOnnxNodes(buildBertOnnx(config, initBertParameters(config, 0), { hiddenStates: true }));
  expect(nodes.map((n) => [n.opType, n.inputs, n.outputs])).toEqual(described.graph.nodes.map((n) => [n.opType, n.inputs, n.outputs]));
  expect(nodes.filter((n) => n.opType === 'LayerNormalization')).toHaveLength(3);
  expect(described.graph.outputs.map((o) => o.name)).toEqual(['pooler_output', 'hidden_state_0', 'hidden_state_1']);
});
