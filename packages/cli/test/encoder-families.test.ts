// RoBERTa and DistilBERT end to end through the CLI: embed against the reference's hidden states
// (tokenizer + model), train with a pooler head (DistilBERT's pooler is new and said so) and a
// --no-pooler one, predict with what was saved (the family's own key names), init --arch.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES_DIR, GLUE_DIR, maxAbsDiff, TINY_DISTILBERT_DIR, TINY_ROBERTA_DIR } from '../../../testing/shared-fixtures';
import { itNative } from './native-available';
import { cli, readJsonlFile, tempDir, writeJsonlFile } from './run-cli';

const root = tempDir('mpb-families-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const FAMILIES = [
  { name: 'tiny-roberta', dir: TINY_ROBERTA_DIR, prefix: 'roberta.', configKey: 'hidden_size' },
  { name: 'tiny-distilbert', dir: TINY_DISTILBERT_DIR, prefix: 'distilbert.', configKey: 'dim' },
] as const;

/** The tensor names of a model.safetensors (its JSON header). */
function safetensorsKeys(file: string): string[] {
  const bytes = fs.readFileSync(file);
  const size = Number(bytes.readBigUInt64LE(0));
  return Object.keys(JSON.parse(bytes.subarray(8, 8 + size).toString('utf8'))).filter((k) => k !== '__metadata__');
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
const quick = ['--task', 'SST-2', '--data', GLUE_DIR, '--train-limit', '16', '--dev-limit', '8', '--max-length', '16', '--epochs', '1', '--batch-size', '8'];

interface Goldens {
  max_length: number;
  cases: { text: string; text_pair?: string }[];
  attention_mask: number[][];
  hidden_states: number[][][][];
}

describe.each(FAMILIES)('$name', ({ name, dir, prefix, configKey }) => {
  const goldens = JSON.parse(fs.readFileSync(path.join(dir, 'goldens.json'), 'utf8')) as Goldens;
  const lengths = goldens.attention_mask.map((m) => m.reduce((a, b) => a + b, 0));
  const input = writeJsonlFile(path.join(root, `${name}-in.jsonl`), goldens.cases.map((c) => ({ ...c, max_length: goldens.max_length })));

  const backends = [{ backend: 'wasm', test: it }, { backend: 'native', test: itNative }];
  describe.each(backends)('on $backend', ({ backend, test }) => {
    test('embed: tokenizer and encoder give every reference hidden state (rows padded in batches)', async () => {
      const output = path.join(root, `${name}-${backend}-embed.jsonl`);
      const r = await cli('embed', '--model', dir, '--input', input, '--output', output, '--backend', backend, '--all-layers', '--pooling', 'none', '--batch-size', '3');
      expect(r).toMatchObject({ code: 0, stderr: '' });
      const rows = readJsonlFile(output);
      expect(rows).toHaveLength(goldens.cases.length);
      rows.forEach((row, c) => {
        const hs = row.hidden_states as number[][][];
        expect(hs[0]).toHaveLength(lengths[c]!);
        expect(maxAbsDiff(hs, goldens.hidden_states.map((layer) => layer[c]!.slice(0, lengths[c])))).toBeLessThan(1e-4);
      });
    }, 60_000);

    test('train with the cls head (the pooler), then predict with the saved folder, which keeps the family names', async () => {
      const out = path.join(root, `${name}-${backend}-cls`);
      const r = await cli('train', '--model', dir, '--head', 'cls', ...quick, '--backend', backend, '--out', out);
      expect(r.stderr).not.toMatch(/error/);
      expect(r.code).toBe(0);
      // DistilBERT has no pooler: a new one is made, and said so; RoBERTa has its own.
      expect(r.stderr.includes('note: pooler: newly initialised (the checkpoint has none)')).toBe(name === 'tiny-distilbert');
      const best = path.join(out, 'best');
      const keys = safetensorsKeys(path.join(best, 'model.safetensors'));
      expect(keys.filter((k) => !k.startsWith(prefix) && !k.startsWith('classifier.'))).toEqual([]);
      expect(keys).toContain(`${prefix}pooler.dense.weight`); // the trained pooler is saved
      const config = readJson(path.join(best, 'config.json'));
      expect(config).toHaveProperty(configKey);
      expect(config.model_type).toBe(name.slice('tiny-'.length));

      const inspect = await cli('inspect', best, '--json');
      expect(JSON.parse(inspect.stdout)).toMatchObject({ pooler: 'checkpoint', missing: [], unexpected: [], ignored: [] });

      const output = path.join(root, `${name}-${backend}-predict.jsonl`);
      const p = await cli('predict', '--model', best, '--input', input, '--output', output, '--backend', backend);
      expect(p).toMatchObject({ code: 0, stderr: '' });
      const rows = readJsonlFile(output) as { logits: number[]; probabilities: number[] }[];
      expect(rows).toHaveLength(goldens.cases.length);
      for (const row of rows) expect(row.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }, 120_000);

    test('every registered head trains (one compare) and predicts from its saved folder', async () => {
      const heads = ['cls', 'mean', 'max', 'max-cls', 'mha', 'max-seq-mha'];
      const out = path.join(root, `${name}-${backend}-heads`);
      // k = 2: the fixtures have 2 layers; --num-heads 2 divides their width (32).
      const r = await cli('compare', '--model', dir, '--heads', heads.join(','), '--seeds', '1', '--layers', '2', '--num-heads', '2', ...quick, '--backend', backend, '--out', out, '--quiet');
      expect(r.stderr).not.toMatch(/error/);
      expect(r.code).toBe(0);
      const results = readJson(path.join(out, 'results.json')) as { runs: { head: string }[] };
      expect(results.runs.map((run) => run.head).sort()).toEqual([...heads].sort());
      for (const head of heads) {
        const output = path.join(root, `${name}-${backend}-${head}-predict.jsonl`);
        const p = await cli('predict', '--model', path.join(out, 'runs', head, 'seed-1', 'best'), '--input', input, '--output', output, '--backend', backend);
        expect(p).toMatchObject({ code: 0, stderr: '' });
        const rows = readJsonlFile(output) as { probabilities: number[] }[];
        expect(rows).toHaveLength(goldens.cases.length);
        for (const row of rows) expect(row.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      }
    }, 240_000);
  });

  it('--no-pooler: a pooler head is refused naming the head and the flag; mean trains and saves no pooler', async () => {
    const refused = await cli('train', '--model', dir, '--head', 'cls', '--no-pooler', ...quick, '--backend', 'wasm', '--out', path.join(root, `${name}-refused`));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('head "cls" applies the pooler, but the model was built without one (--no-pooler)');
    expect(fs.existsSync(path.join(root, `${name}-refused`))).toBe(false);

    // compare checks every head before the first run.
    const compare = await cli('compare', '--model', dir, '--heads', 'mean,cls', '--seeds', '1', '--no-pooler', ...quick, '--backend', 'wasm', '--out', path.join(root, `${name}-compare`));
    expect(compare.code).toBe(2);
    expect(compare.stderr).toContain('--no-pooler: head "cls" applies the pooler: pass --pooler off too, or drop --no-pooler');

    const out = path.join(root, `${name}-no-pooler`);
    const r = await cli('train', '--model', dir, '--head', 'mean', '--no-pooler', ...quick, '--backend', 'wasm', '--out', out);
    expect(r.stderr).not.toMatch(/error|pooler: newly/);
    expect(r.code).toBe(0);
    const best = path.join(out, 'best');
    expect(safetensorsKeys(path.join(best, 'model.safetensors')).filter((k) => k.includes('pooler'))).toEqual([]);
    expect(readJson(path.join(best, 'config.json'))).toMatchObject({ maxpoolbert_pooler: false });
    const inspect = await cli('inspect', best, '--json');
    expect(JSON.parse(inspect.stdout)).toMatchObject({ pooler: 'none', missing: [] });
  }, 120_000);
});

describe('init --arch and inspect', () => {
  it('init --arch distilbert writes DistilBERT keys and names, which load and report a new pooler', async () => {
    const out = path.join(root, 'init-distilbert');
    const r = await cli('init', '--arch', 'distilbert', '--out', out, '--preset', 'tiny', '--seed', '2');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/tiny DistilBERT, .*M parameters, vocabulary 30522 \(random weights\)/);
    expect(readJson(path.join(out, 'config.json'))).toMatchObject({ model_type: 'distilbert', dim: 128, n_layers: 2, n_heads: 2, hidden_dim: 512 });
    const keys = safetensorsKeys(path.join(out, 'model.safetensors'));
    expect(keys).toContain('transformer.layer.1.attention.q_lin.weight');
    expect(keys.some((k) => k.includes('pooler') || k.includes('token_type'))).toBe(false);
    const inspect = await cli('inspect', out);
    expect(inspect.stdout).toContain('Pooler:          newly initialised (the checkpoint has none)');
    expect(inspect.stdout).toContain('Architecture: distilbert, 2 layers');
  });

  it('init --arch roberta takes the BPE files, and the folder runs end to end', async () => {
    const out = path.join(root, 'init-roberta');
    const bpe = ['--vocab', path.join(TINY_ROBERTA_DIR, 'vocab.json'), '--merges', path.join(TINY_ROBERTA_DIR, 'merges.txt')];
    const r = await cli('init', '--arch', 'roberta', '--out', out, '--preset', 'tiny', ...bpe);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(fs.readdirSync(out).sort()).toEqual(['config.json', 'merges.txt', 'model.safetensors', 'tokenizer_config.json', 'vocab.json']);
    expect(readJson(path.join(out, 'config.json'))).toMatchObject({ model_type: 'roberta', type_vocab_size: 1, pad_token_id: 1, max_position_embeddings: 514, layer_norm_eps: 1e-5 });
    expect(safetensorsKeys(path.join(out, 'model.safetensors'))).toContain('pooler.dense.weight');
    const input = writeJsonlFile(path.join(root, 'init-in.jsonl'), [{ text: 'Hello world' }, { text: 'a longer text, padded less' }]);
    const e = await cli('embed', '--model', out, '--input', input, '--output', path.join(root, 'init-out.jsonl'), '--backend', 'wasm');
    expect(e).toMatchObject({ code: 0, stderr: '' });

    const missing = await cli('init', '--arch', 'roberta', '--out', path.join(root, 'no-bpe'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('init --arch roberta needs --vocab VOCAB.JSON and --merges MERGES.TXT');
    const bad = await cli('init', '--arch', 'gpt2', '--out', path.join(root, 'x'));
    expect(bad.stderr).toMatch(/--arch must be one of bert, roberta, distilbert/);
  });

  it('inspect lists a masked-LM checkpoint without a pooler as such, counting no made-up parameters', async () => {
    const r = await cli('inspect', path.join(FIXTURES_DIR, 'tiny-bert-mlm'), '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ pooler: 'initialised', missing: [] });
    expect(report.parameters.pooler).toBeUndefined();
  });
});
