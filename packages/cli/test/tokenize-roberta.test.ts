// `maxpoolbert tokenize` on a RoBERTa folder (byte-level BPE: vocab.json + merges.txt, or a
// tokenizer.json), against the tiny-roberta goldens.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES_DIR } from '../../../testing/shared-fixtures';
import { cli, readJsonlFile, tempDir, writeJsonlFile } from './run-cli';

const ROBERTA_DIR = path.join(FIXTURES_DIR, 'tiny-roberta');
const read = (name: string) => fs.readFileSync(path.join(ROBERTA_DIR, name), 'utf8');

interface GoldenCase { text: string; text_pair?: string; max_length?: number; input_ids: number[]; attention_mask: number[] }

const goldens: GoldenCase[] = read('tokenizer-goldens.jsonl').split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('maxpoolbert tokenize --model <RoBERTa folder>', () => {
  const dir = tempDir();
  const input = writeJsonlFile(path.join(dir, 'in.jsonl'), goldens.map(({ text, text_pair, max_length }) => ({ text, text_pair, max_length })));
  const expected = goldens.map((g) => ({ input_ids: g.input_ids, token_type_ids: g.input_ids.map(() => 0), attention_mask: g.attention_mask }));

  it('writes exactly the reference ids for all 300 golden cases (vocab.json + merges.txt)', async () => {
    const output = path.join(dir, 'out.jsonl');
    const r = await cli('tokenize', '--model', ROBERTA_DIR, '--input', input, '--output', output);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(readJsonlFile(output)).toEqual(expected);
  });

  it('gives the same ids from a folder with only a tokenizer.json', async () => {
    const folder = path.join(dir, 'fast');
    fs.mkdirSync(folder);
    const vocab = JSON.parse(read('vocab.json')) as Record<string, number>;
    const added = (content: string) => ({ id: vocab[content], content, single_word: false, lstrip: content === '<mask>', rstrip: false, normalized: false, special: true });
    fs.writeFileSync(path.join(folder, 'tokenizer.json'), JSON.stringify({
      version: '1.0', truncation: null, padding: null,
      added_tokens: ['<s>', '<pad>', '</s>', '<unk>', '<mask>'].map(added),
      normalizer: null,
      pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
      post_processor: { type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0], trim_offsets: true, add_prefix_space: false },
      decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
      model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, vocab,
        merges: read('merges.txt').split('\n').filter((l) => l && !l.startsWith('#version')) },
    }));
    const output = path.join(dir, 'fast-out.jsonl');
    expect(await cli('tokenize', '--model', folder, '--input', input, '--output', output)).toMatchObject({ code: 0, stderr: '' });
    expect(readJsonlFile(output)).toEqual(expected);
  });

  it('names the missing merges.txt in one line', async () => {
    const folder = path.join(dir, 'no-merges');
    fs.mkdirSync(folder);
    fs.copyFileSync(path.join(ROBERTA_DIR, 'vocab.json'), path.join(folder, 'vocab.json'));
    const r = await cli('tokenize', '--model', folder, '--input', input, '--output', path.join(dir, 'x.jsonl'));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${path.join(folder, 'merges.txt')}: vocab.json needs a merges.txt beside it`);
    expect(fs.existsSync(path.join(dir, 'x.jsonl'))).toBe(false);
  });
});
