import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBertParameters, presetConfig } from '@maxpoolbert/core';
import { buildBertOnnx } from '../../src/bench/onnxruntime/bert-onnx';
import { decodeOnnxNodes } from '../../src/bench/onnxruntime/onnx-writer';
import { createReferenceSession } from '../../src/bench/onnxruntime/ort-session';
import { benchClassifierWeights } from '../../src/bench/onnxruntime/runner';
import { describeOnnxruntime } from './ort-available';

/**
 * bert-onnx.ts writes its graph in the forms onnxruntime's optimiser recognises, so that the
 * reference is onnxruntime at its best for a user's exported BERT. This pins what onnxruntime
 * (the version in package-lock) makes of the bench graph at level "all": a change here means
 * the reference's speed may have changed for reasons other than our code.
 */
describeOnnxruntime('onnxruntime graph optimisation of the bench graph', () => {
  it("fuses GELU with its bias, the 1/√d scaling into QKᵀ, and the pooler's dense + tanh", async () => {
    const config = presetConfig('tiny', 1100); // 2 layers; a small vocabulary keeps it quick
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mpb-ort-')), 'optimized.onnx');
    const session = await createReferenceSession(buildBertOnnx(config, initBertParameters(config, 0), { classifier: benchClassifierWeights(config) }), 1, {
      optimizedModelFilePath: file,
      logSeverityLevel: 3, // the NCHWc warning about saving an "all"-level model is expected
    });
    await session.release();
    const ops = decodeOnnxNodes(fs.readFileSync(file)).map((n) => (n.domain ? `${n.domain}.${n.opType}` : n.opType));
    const count = (op: string) => ops.filter((o) => o === op).length;
    const L = config.num_hidden_layers;
    expect(count('com.microsoft.BiasGelu')).toBe(L); // Add (bias) + Div/Erf/Add/Mul/Mul
    expect(count('Erf')).toBe(0);
    expect(count('com.microsoft.FusedMatMul')).toBe(L); // QKᵀ with the 1/√d scale folded in
    expect(count('com.microsoft.FusedGemm')).toBe(1); // pooler dense + Tanh
    expect(count('LayerNormalization')).toBe(1 + 2 * L); // ONNX's own kernel, kept
    expect(count('Softmax')).toBe(L);
  });
});
