/** @jest-environment ../../testing/jest-env-host-typed-arrays.cjs */
import { FsModelSource } from '@maxpoolbert/backend-node';
import { loadBertWeights, loadTokenizer, readBertConfig, type BertConfig, type HostTensor } from '@maxpoolbert/core';
import { buildBertOnnx } from '../../src/bench/onnxruntime/bert-onnx';
import { createReferenceSession, int64Tensor, loadOnnxruntime, type OrtModule } from '../../src/bench/onnxruntime/ort-session';
import { readExpectedLogits } from '../../../../testing/backend-spec/spec-fixtures';
import { HEADS_FIXTURES_DIR, maxAbsDiff, readTinyBertGoldens, TINY_BERT_DIR } from '../../../../testing/shared-fixtures';
import { describeOnnxruntime } from './ort-available';
import * as path from 'node:path';

/**
 * The ONNX graph of our BERT, run by onnxruntime, against the independent reference: every
 * hidden state (every layer, every token, padding included) and the pooler of tiny-bert's
 * goldens, and the logits of a fine-tuned cls checkpoint, to 1e-4. Both with onnxruntime's
 * optimisations off (the graph as written) and at "all" (the fused graph the bench times).
 */
const TOLERANCE = 1e-4;
const goldens = readTinyBertGoldens();

/** [rows][cols]... nested arrays from a flat tensor of that shape. */
function nest(data: Float32Array, dims: readonly number[]): unknown {
  if (dims.length === 1) return Array.from(data);
  const step = data.length / dims[0];
  return Array.from({ length: dims[0] }, (_, i) => nest(data.subarray(i * step, (i + 1) * step), dims.slice(1)));
}

function feeds(ort: OrtModule, rows: { inputIds: number[]; tokenTypeIds: number[]; attentionMask: number[] }[]) {
  const dims: [number, number] = [rows.length, rows[0].inputIds.length];
  return {
    input_ids: int64Tensor(ort, rows.flatMap((r) => r.inputIds), dims),
    token_type_ids: int64Tensor(ort, rows.flatMap((r) => r.tokenTypeIds), dims),
    attention_mask: int64Tensor(ort, rows.flatMap((r) => r.attentionMask), dims),
  };
}

describeOnnxruntime.each(['disabled', 'all'] as const)('our BERT as ONNX in onnxruntime (graph optimisation %s)', (level) => {
  let ort: OrtModule;
  let config: BertConfig;
  let weights: Map<string, HostTensor>;

  beforeAll(async () => {
    ort = await loadOnnxruntime();
    const source = await FsModelSource.open(TINY_BERT_DIR);
    config = await readBertConfig(source);
    weights = (await loadBertWeights(source, config)).encoder;
  });

  it('reproduces every golden hidden state and the pooler output to 1e-4', async () => {
    const session = await createReferenceSession(buildBertOnnx(config, weights, { hiddenStates: true }), 1, { graphOptimizationLevel: level });
    try {
      const rows = goldens.input_ids.map((ids, i) => ({ inputIds: ids, tokenTypeIds: goldens.token_type_ids[i], attentionMask: goldens.attention_mask[i] }));
      const out = await session.run(feeds(ort, rows));
      expect(Object.keys(out).sort()).toEqual(['pooler_output', ...goldens.hidden_states.map((_, l) => `hidden_state_${l}`)].sort());
      goldens.hidden_states.forEach((expected, layer) => {
        const t = out[`hidden_state_${layer}`];
        expect(t.dims).toEqual([rows.length, goldens.max_length, config.hidden_size]);
        const diff = maxAbsDiff(nest(t.data as Float32Array, t.dims), expected);
        expect({ layer, diff: diff < TOLERANCE ? 'ok' : diff }).toEqual({ layer, diff: 'ok' });
      });
      expect(maxAbsDiff(nest(out.pooler_output.data as Float32Array, out.pooler_output.dims), goldens.pooler_output)).toBeLessThan(TOLERANCE);
    } finally {
      await session.release();
    }
  });

  it("gives a fine-tuned cls checkpoint's expected logits (tokenizer, encoder, pooler, classifier) to 1e-4", async () => {
    const source = await FsModelSource.open(path.join(HEADS_FIXTURES_DIR, 'cls-k1-h4-pooler-2labels'));
    const folderConfig = await readBertConfig(source);
    const { encoder, rest } = await loadBertWeights(source, folderConfig);
    const classifier = { weight: rest.get('classifier.weight')!.data as Float32Array, bias: rest.get('classifier.bias')!.data as Float32Array };
    const tokenizer = await loadTokenizer(source);
    const expected = await readExpectedLogits(source);
    // Padded to the longest text with the tokenizer's pad id, mask 0, as core's toBatch pads.
    const encoded = expected.map((e) => tokenizer.encode(e.text, e.text_pair));
    const T = Math.max(...encoded.map((e) => e.inputIds.length));
    const pad = (values: number[], fill: number) => [...values, ...new Array<number>(T - values.length).fill(fill)];
    const rows = encoded.map((e) => ({ inputIds: pad(e.inputIds, tokenizer.padId), tokenTypeIds: pad(e.tokenTypeIds, 0), attentionMask: pad(e.attentionMask, 0) }));
    expect(rows.some((r) => r.attentionMask.includes(0))).toBe(true); // padding is exercised

    const session = await createReferenceSession(buildBertOnnx(folderConfig, encoder, { classifier }), 1, { graphOptimizationLevel: level });
    try {
      const out = await session.run(feeds(ort, rows));
      expect(out.logits.dims).toEqual([expected.length, 2]);
      expect(maxAbsDiff(nest(out.logits.data as Float32Array, out.logits.dims), expected.map((e) => e.logits))).toBeLessThan(TOLERANCE);
    } finally {
      await session.release();
    }
  });
});
