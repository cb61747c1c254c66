// readJsonl reads bytes (to count invalid UTF-8) and splits lines itself: \n, \r\n and a lone \r,
// also where a read chunk (64 KiB) ends between the \r and the \n.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJsonl } from '../src/jsonl';
import { tempDir } from './run-cli';

const dir = tempDir('mpb-jsonl-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function read(file: string, options = {}) {
  const rows: { line: number; value: Record<string, unknown> }[] = [];
  for await (const r of readJsonl(file, options)) rows.push(r);
  return rows;
}

it('numbers lines across every line break, including a \\r\\n split between two chunks', async () => {
  const first = JSON.stringify({ text: 'x'.repeat(65535 - 11) }); // {"text":"…"}: its \r is byte 65535, the chunk's last
  expect(Buffer.byteLength(first)).toBe(65536 - 1);
  const file = path.join(dir, 'breaks.jsonl');
  fs.writeFileSync(file, `${first}\r\n{"text":"b"}\r{"text":"c"}\n\n{"text":"d"}`);
  const rows = await read(file);
  expect(rows.map((r) => [r.line, (r.value.text as string).slice(0, 3)])).toEqual([[1, 'xxx'], [2, 'b'], [3, 'c'], [5, 'd']]);
});

it('drops a BOM on the first line only, and reports invalid UTF-8 once at the end', async () => {
  const file = path.join(dir, 'bom.jsonl');
  fs.writeFileSync(file, Buffer.concat([Buffer.from('\uFEFF{"text":"a"}\n{"text":"b'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]));
  const reports: unknown[] = [];
  const rows = await read(file, { onInvalidUtf8: (i: unknown) => reports.push(i) });
  expect(rows.map((r) => r.value.text)).toEqual(['a', 'b\uFFFD\uFFFD']);
  expect(reports).toEqual([{ sequences: 2, bytes: 2, lines: 1, firstLine: 2, firstBytes: [0xff] }]);
});
