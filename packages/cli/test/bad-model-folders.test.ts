import * as fs from 'node:fs';
import * as path from 'node:path';
import { TINY_BERT_DIR } from '../../../testing/shared-fixtures';
import { cli, copyFolder, tempDir, writeJsonlFile } from './run-cli';

/**
 * Every broken model folder must give one line naming the file (and field) at fault, exit 1,
 * and leave no output behind.
 */
describe('bad model folders', () => {
  const root = tempDir();
  const input = writeJsonlFile(path.join(root, 'in.jsonl'), [{ text: 'hello world' }]);
  let n = 0;

  function brokenCopy(edit: (dir: string) => void): string {
    const dir = copyFolder(TINY_BERT_DIR, path.join(root, `model-${n++}`));
    for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o644);
    edit(dir);
    return dir;
  }

  async function embedFails(model: string, message: RegExp) {
    const output = path.join(root, `out-${n}.jsonl`);
    const r = await cli('embed', '--model', model, '--input', input, '--output', output, '--backend', 'cpu');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(fs.existsSync(output)).toBe(false);
  }

  const header = (dir: string) => {
    const bytes = fs.readFileSync(path.join(dir, 'model.safetensors'));
    const len = Number(bytes.readBigUInt64LE(0));
    return { bytes, len, json: JSON.parse(bytes.subarray(8, 8 + len).toString('utf8')) };
  };
  const rewriteHeader = (dir: string, edit: (h: Record<string, any>) => void) => {
    const { bytes, len, json } = header(dir);
    edit(json);
    let text = JSON.stringify(json);
    text = text.padEnd(len, ' '); // same length, so the data offsets stay valid
    if (Buffer.byteLength(text) !== len) throw new Error('test header edit changed the header length');
    fs.writeFileSync(path.join(dir, 'model.safetensors'), Buffer.concat([bytes.subarray(0, 8), Buffer.from(text), bytes.subarray(8 + len)]));
  };

  it('a folder that does not exist', async () => {
    await embedFails(path.join(root, 'nope'), /nope: model folder does not exist/);
  });

  it('a missing config.json', async () => {
    await embedFails(brokenCopy((d) => fs.rmSync(path.join(d, 'config.json'))), /config\.json: file not found.*maxpoolbert init/);
  });

  it('a missing vocab.txt', async () => {
    await embedFails(brokenCopy((d) => fs.rmSync(path.join(d, 'vocab.txt'))), /vocab\.txt|tokenizer\.json/);
  });

  it('an empty vocab.txt', async () => {
    await embedFails(brokenCopy((d) => fs.writeFileSync(path.join(d, 'vocab.txt'), '')), /vocab\.txt: .*empty/i);
  });

  it('missing weights', async () => {
    await embedFails(brokenCopy((d) => fs.rmSync(path.join(d, 'model.safetensors'))), /model\.safetensors.*pytorch_model\.bin/);
  });

  it('an unknown hidden_act', async () => {
    await embedFails(
      brokenCopy((d) => {
        const c = JSON.parse(fs.readFileSync(path.join(d, 'config.json'), 'utf8'));
        fs.writeFileSync(path.join(d, 'config.json'), JSON.stringify({ ...c, hidden_act: 'mish' }));
      }),
      /config\.json: hidden_act: "mish" is not supported/,
    );
  });

  it('a truncated safetensors file', async () => {
    await embedFails(
      brokenCopy((d) => {
        const f = path.join(d, 'model.safetensors');
        fs.truncateSync(f, fs.statSync(f).size - 1000);
      }),
      /model\.safetensors.*(past the end|truncated|end of)/i,
    );
  });

  it('a header length larger than the file', async () => {
    await embedFails(
      brokenCopy((d) => {
        const f = path.join(d, 'model.safetensors');
        const bytes = fs.readFileSync(f);
        bytes.writeBigUInt64LE(BigInt(bytes.length * 2), 0);
        fs.writeFileSync(f, bytes);
      }),
      /model\.safetensors.*header/i,
    );
  });

  it('offsets past the end of the data', async () => {
    await embedFails(
      brokenCopy((d) => rewriteHeader(d, (h) => {
        const e = h['pooler.dense.bias'];
        e.data_offsets = [e.data_offsets[0], e.data_offsets[1] + 4_000_000];
      })),
      /model\.safetensors.*pooler\.dense\.bias/,
    );
  });

  it('a dtype × shape that does not match the byte length', async () => {
    await embedFails(
      brokenCopy((d) => rewriteHeader(d, (h) => {
        h['pooler.dense.bias'].shape = [33];
      })),
      /model\.safetensors.*pooler\.dense\.bias/,
    );
  });
});
