// The max length a model was fine-tuned with is recorded in its folders (best/ and checkpoint/)
// and is the default of eval, predict and embed, so all three cut inputs as training did. A
// tiny run (tiny-bert, 2 × 32, 128 positions) at --max-length 8 on SST-2, whose dev sentences
// are mostly longer than 8 tokens, so the length shows in every output.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TINY_BERT_DIR } from '../../../../testing/shared-fixtures';
import { cli, readJsonlFile, tempDir, writeJsonlFile } from '../run-cli';
import { GLUE_DIR, readJson } from './helpers';

const root = tempDir('mpb-maxlen-');
const out = path.join(root, 'run');
const best = path.join(out, 'best');
const TRAINED = 8;
const POSITIONS = 128; // tiny-bert's max_position_embeddings
const LONG = 'an utterly gripping , beautifully acted and wonderfully written film that stays with you for days after the credits roll';

beforeAll(async () => {
  const r = await cli('train', '--model', TINY_BERT_DIR, '--head', 'cls', '--task', 'SST-2', '--data', GLUE_DIR, '--train-limit', '16', '--dev-limit', '32',
    '--batch-size', '8', '--epochs', '1', '--lr', '1e-3', '--max-length', String(TRAINED), '--backend', 'wasm', '--quiet', '--out', out);
  if (r.code !== 0) throw new Error(r.stderr);
}, 120_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

it('best/ and checkpoint/ record the training max length in config.json', () => {
  expect(readJson(path.join(best, 'config.json')).maxpoolbert_max_length).toBe(TRAINED);
  expect(readJson(path.join(out, 'checkpoint', 'config.json')).maxpoolbert_max_length).toBe(TRAINED);
});

it('inspect shows it', async () => {
  const r = await cli('inspect', best);
  expect(r.stdout).toContain(`Max length:   ${TRAINED} tokens (fine-tuned with; eval, predict and embed default to it)`);
  expect(JSON.parse((await cli('inspect', best, '--json')).stdout).trainedMaxLength).toBe(TRAINED);
});

describe('it is the default of', () => {
  const evalLoss = async (...more: string[]) => {
    const r = await cli('eval', '--model', best, '--task', 'SST-2', '--data', GLUE_DIR, '--dev-limit', '32', '--backend', 'wasm', ...more);
    expect(r.stderr).toBe('');
    return (JSON.parse(r.stdout) as { loss: number }).loss;
  };

  it('eval (which defaulted to 128)', async () => {
    const byDefault = await evalLoss();
    expect(byDefault).toBe(await evalLoss('--max-length', String(TRAINED)));
    expect(byDefault).not.toBe(await evalLoss('--max-length', '128'));
  });

  const mapped = async (command: 'predict' | 'embed', ...more: string[]) => {
    const input = writeJsonlFile(path.join(root, 'in.jsonl'), [{ text: LONG }, { text: 'fine' }]);
    const output = path.join(root, `${command}-${more.join('-') || 'default'}.jsonl`);
    const r = await cli(command, '--model', best, '--input', input, '--output', output, '--backend', 'wasm', ...more);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return readJsonlFile(output);
  };

  it.each(['predict', 'embed'] as const)("%s (which defaulted to max_position_embeddings)", async (command) => {
    const byDefault = await mapped(command);
    expect(byDefault).toEqual(await mapped(command, '--max-length', String(TRAINED)));
    expect(byDefault[0]).not.toEqual((await mapped(command, '--max-length', String(POSITIONS)))[0]);
  });
});

it('a folder without a record (a pre-trained BERT) uses its max_position_embeddings, as before', async () => {
  const input = writeJsonlFile(path.join(root, 'plain.jsonl'), [{ text: LONG }]);
  const a = path.join(root, 'plain-a.jsonl');
  const b = path.join(root, 'plain-b.jsonl');
  expect((await cli('embed', '--model', TINY_BERT_DIR, '--input', input, '--output', a, '--backend', 'wasm')).code).toBe(0);
  expect((await cli('embed', '--model', TINY_BERT_DIR, '--input', input, '--output', b, '--backend', 'wasm', '--max-length', String(POSITIONS))).code).toBe(0);
  expect(readJsonlFile(a)).toEqual(readJsonlFile(b));
});
