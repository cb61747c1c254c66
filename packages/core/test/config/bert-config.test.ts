import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBertConfig, presetConfig, serializeBertConfig, BERT_PRESETS } from '../../src/config/index';
import { MaxPoolBertError } from '../../src/errors';
import { TINY_BERT_DIR } from '../../../../testing/shared-fixtures';

const tinyJson = JSON.parse(fs.readFileSync(path.join(TINY_BERT_DIR, 'config.json'), 'utf8'));

describe('parseBertConfig', () => {
  it('reads every field of the tiny-bert config.json', () => {
    const c = parseBertConfig(tinyJson, 'config.json');
    expect(c).toMatchObject({
      vocab_size: 30522, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 64,
      hidden_act: 'gelu', hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1, max_position_embeddings: 128,
      type_vocab_size: 2, layer_norm_eps: 1e-12, pad_token_id: 0, initializer_range: 0.02, classifier_dropout: null,
    });
    expect(c.extra.architectures).toEqual(['BertModel']);
  });

  it('fills omitted fields with Hugging Face defaults', () => {
    const c = parseBertConfig({ hidden_size: 64, num_attention_heads: 2 });
    expect(c.num_hidden_layers).toBe(12);
    expect(c.layer_norm_eps).toBe(1e-12);
    expect(c.hidden_act).toBe('gelu');
  });

  it.each(['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'relu'])('accepts hidden_act %s', (act) => {
    expect(parseBertConfig({ ...tinyJson, hidden_act: act }).hidden_act).toBe(act);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['an unknown activation', { hidden_act: 'swish' }, /hidden_act: "swish" is not supported.*gelu, gelu_new/],
    ['relative positions', { position_embedding_type: 'relative_key' }, /position_embedding_type: "relative_key" is not supported/],
    ['a decoder', { is_decoder: true }, /is_decoder: must be false/],
    ['cross attention', { add_cross_attention: true }, /add_cross_attention/],
    ['a non-integer size', { hidden_size: 32.5 }, /hidden_size: must be an integer >= 1/],
    ['heads not dividing hidden', { num_attention_heads: 5 }, /not divisible by num_attention_heads 5/],
    ['a dropout of 1', { hidden_dropout_prob: 1 }, /hidden_dropout_prob: must be below 1/],
    ['another model type', { model_type: 'gpt2' }, /model_type: "gpt2" is not supported/],
    ['a pad id outside the vocab', { pad_token_id: 40000 }, /pad_token_id: 40000 is outside the vocabulary/],
  ])('rejects %s, naming the file and field', (_what, patch, message) => {
    let error: unknown;
    try {
      parseBertConfig({ ...tinyJson, ...patch }, '/m/config.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MaxPoolBertError);
    expect((error as Error).message).toMatch(/^\/m\/config\.json: /);
    expect((error as Error).message).toMatch(message);
  });

  it('rejects a config that is not an object', () => {
    expect(() => parseBertConfig([1, 2], 'c.json')).toThrow(/c\.json: must be a JSON object/);
  });

  it('round-trips through serializeBertConfig, keeping extra fields', () => {
    const c = parseBertConfig({ ...tinyJson, id2label: { 0: 'neg', 1: 'pos' }, classifier_dropout: 0.2 });
    const again = parseBertConfig(JSON.parse(JSON.stringify(serializeBertConfig(c))));
    expect(again).toEqual(c);
  });
});

describe('presets', () => {
  it('have the published shapes, with intermediate = 4 × hidden', () => {
    expect(BERT_PRESETS.base).toEqual({ num_hidden_layers: 12, hidden_size: 768, num_attention_heads: 12 });
    expect(BERT_PRESETS.large).toEqual({ num_hidden_layers: 24, hidden_size: 1024, num_attention_heads: 16 });
    const mini = presetConfig('mini', 30522);
    expect(mini.intermediate_size).toBe(1024);
    expect(parseBertConfig(serializeBertConfig(mini))).toEqual(mini);
  });
});
