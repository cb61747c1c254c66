import * as fs from 'node:fs';
import * as path from 'node:path';
import { HEADS_FIXTURES_DIR, TINY_BERT_DIR } from '../../../testing/shared-fixtures';
import { cli, tempDir, writeJsonlFile } from './run-cli';

describe('maxpoolbert init and inspect', () => {
  const root = tempDir();

  it('init writes a loadable Hugging Face folder, reproducibly per seed', async () => {
    const a = path.join(root, 'a');
    const r = await cli('init', '--out', a, '--preset', 'tiny', '--seed', '3');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tiny BERT, 4\.4M parameters, vocabulary 30522 \(random weights\)/);
    expect(fs.readdirSync(a).sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer_config.json', 'vocab.txt']);
    const config = JSON.parse(fs.readFileSync(path.join(a, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ model_type: 'bert', hidden_size: 128, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 512, vocab_size: 30522 });

    const b = path.join(root, 'b');
    const c = path.join(root, 'c');
    await cli('init', '--out', b, '--preset', 'tiny', '--seed', '3');
    await cli('init', '--out', c, '--preset', 'tiny', '--seed', '4');
    const weights = (d: string) => fs.readFileSync(path.join(d, 'model.safetensors'));
    expect(weights(a).equals(weights(b))).toBe(true);
    expect(weights(a).equals(weights(c))).toBe(false);

    // ...and the folder runs end to end.
    const input = writeJsonlFile(path.join(root, 'in.jsonl'), [{ text: 'a test' }]);
    expect((await cli('embed', '--model', a, '--input', input, '--output', path.join(root, 'o.jsonl'), '--backend', 'cpu')).code).toBe(0);
  });

  it('init replaces an existing folder and accepts a custom vocabulary', async () => {
    const dir = path.join(root, 'custom');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'stale.txt'), 'old');
    const vocab = path.join(root, 'vocab.txt');
    fs.writeFileSync(vocab, ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'hello', 'world'].join('\n') + '\n');
    const r = await cli('init', '--out', dir, '--preset', 'mini', '--vocab', vocab);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'stale.txt'))).toBe(false);
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ vocab_size: 7, hidden_size: 256, num_hidden_layers: 4, intermediate_size: 1024 });
  });

  it('init rejects an unknown preset, a vocabulary without special tokens and a missing parent folder', async () => {
    expect((await cli('init', '--out', path.join(root, 'x'), '--preset', 'huge')).stderr).toMatch(/--preset must be one of tiny, mini, small, medium, base, large/);
    const vocab = path.join(root, 'bad-vocab.txt');
    fs.writeFileSync(vocab, 'hello\nworld\n');
    const bad = await cli('init', '--out', path.join(root, 'y'), '--vocab', vocab);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad-vocab\.txt/);
    expect(fs.existsSync(path.join(root, 'y'))).toBe(false);
    const missing = await cli('init', '--out', path.join(root, 'no', 'such', 'dir'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/output folder does not exist/);
  });

  it('inspect reports config, parameter counts per part and dtypes of the tiny-bert fixture', async () => {
    const r = await cli('inspect', TINY_BERT_DIR, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const H = 32, V = 30522, P = 128, I = 64;
    const perLayer = 4 * (H * H + H) + 2 * 2 * H + (H * I + I) + (I * H + H);
    expect(report.parameters).toEqual({
      total: V * H + P * H + 2 * H + 2 * H + 2 * perLayer + H * H + H,
      embeddings: V * H + P * H + 2 * H + 2 * H,
      'encoder.layer.0': perLayer,
      'encoder.layer.1': perLayer,
      pooler: H * H + H,
    });
    expect(report.dtypes).toEqual({ F32: 39 }); // 5 embedding + 2 × 16 layer + 2 pooler tensors
    expect(report.missing).toEqual([]);
    expect(report.unexpected).toEqual([]);
  });

  it('inspect takes the folder as --model DIR too, as the other commands do, and says when it has none or two', async () => {
    const positional = await cli('inspect', TINY_BERT_DIR, '--json');
    const flag = await cli('inspect', '--model', TINY_BERT_DIR, '--json');
    expect(flag.code).toBe(0);
    expect(flag.stdout).toBe(positional.stdout);
    const none = await cli('inspect');
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe('maxpoolbert inspect: error: inspect: which model folder? maxpoolbert inspect DIR (or --model DIR)');
    const two = await cli('inspect', TINY_BERT_DIR, '--model', root);
    expect(two.code).toBe(2);
    expect(two.stderr.trim().split('\n')).toHaveLength(1);
    expect(two.stderr).toContain('two model folders given');
  });

  it('inspect shows a classification checkpoint\'s head and its extra parameters', async () => {
    const dir = path.join(HEADS_FIXTURES_DIR, 'max-seq-mha-k2-h4-pooler-2labels');
    const json = JSON.parse((await cli('inspect', dir, '--json')).stdout);
    const H = 32;
    expect(json.parameters.head).toBe(4 * H * H + 4 * H); // in_proj (3H×H + 3H) + out_proj (H×H + H)
    expect(json.parameters.classifier).toBe(2 * H + 2);
    // The head's and the classifier's weights are the fine-tuned folder's own, not unexpected.
    expect(json.unexpected).toEqual([]);
    expect(json.missing).toEqual([]);
    expect(json.head.sort()).toEqual(['head.attention.in_proj_bias', 'head.attention.in_proj_weight', 'head.attention.out_proj.bias', 'head.attention.out_proj.weight']);
    expect(json.classifier.sort()).toEqual(['classifier.bias', 'classifier.weight']);
    const text = (await cli('inspect', dir)).stdout;
    expect(text).toContain('Unexpected keys: none\n');
    expect(text).toContain(`Classifier:   classifier.weight [2, ${H}], classifier.bias [2]`);
    expect(text).toMatch(/Head: +\{"type":"max-seq-mha","layers":2.*\}, 4,224 parameters over \[CLS\] pooling/);
    expect(text).toContain(`Parameters:   ${json.parameters.total.toLocaleString('en-US')}`);
    expect(text).toMatch(/\n  head +4,224\n/);
  });

  it('inspect lists missing keys instead of failing', async () => {
    const dir = path.join(root, 'partial');
    fs.mkdirSync(dir);
    for (const f of ['config.json', 'vocab.txt']) fs.copyFileSync(path.join(TINY_BERT_DIR, f), path.join(dir, f));
    // A checkpoint with only the embeddings: every layer is missing; the pooler is not missing
    // but new (a checkpoint may lack it: loading initialises one), and said so.
    const { encodeSafetensors, concatChunks } = await import('@maxpoolbert/core');
    const E = new Float32Array(30522 * 32);
    fs.writeFileSync(path.join(dir, 'model.safetensors'), concatChunks(encodeSafetensors({ 'bert.embeddings.word_embeddings.weight': { dtype: 'float32', shape: [30522, 32], data: E } })));
    const json = JSON.parse((await cli('inspect', dir, '--json')).stdout);
    expect(json.pooler).toBe('initialised');
    expect(json.missing).not.toContain('pooler.dense.weight');
    expect(json.missing).toContain('encoder.layer.1.output.LayerNorm.bias');
    expect(json.missing).not.toContain('embeddings.word_embeddings.weight');
  });
});
