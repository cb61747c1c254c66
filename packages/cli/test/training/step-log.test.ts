// How a compare child's steps reach the parent's progress line: the child's --json-log writes
// each line at once (training gives the event loop no turn between steps), and the parent
// follows the file, from where it ended, a whole line at a time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JsonLog } from '../../src/training/json-log';
import { tailJsonLog } from '../../src/training/tail-json-log';
import { tempDir } from '../run-cli';

const root = tempDir('mpb-steplog-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

it('JsonLog writes each record before write() returns, not when the event loop next turns', async () => {
  const file = path.join(root, 'log.jsonl');
  const log = await JsonLog.open(file);
  log.write({ type: 'step', step: 1 });
  log.write({ type: 'step', step: 2, text: 'é' });
  // No await in between: a busy training loop reads the same.
  expect(fs.readFileSync(file, 'utf8')).toBe('{"type":"step","step":1}\n{"type":"step","step":2,"text":"é"}\n');
  await log.flush();
  await log.close();
});

it('tailJsonLog hands over lines added after it started, whole lines only, characters intact', async () => {
  const file = path.join(root, 'tail.jsonl');
  fs.writeFileSync(file, '{"step":0,"from":"an earlier attempt"}\n');
  const seen: Record<string, unknown>[] = [];
  const tail = await tailJsonLog(file, (r) => seen.push(r), 20);
  const line = Buffer.from('{"step":1,"label":"ümlaut"}\n');
  // Half a line, cut inside the two-byte "ü": nothing yet.
  const cut = line.indexOf(Buffer.from('ü')) + 1;
  fs.appendFileSync(file, line.subarray(0, cut));
  await new Promise((r) => setTimeout(r, 100));
  expect(seen).toEqual([]);
  fs.appendFileSync(file, Buffer.concat([line.subarray(cut), Buffer.from('not json\n{"step":2}\n')]));
  await new Promise((r) => setTimeout(r, 100));
  expect(seen).toEqual([{ step: 1, label: 'ümlaut' }, { step: 2 }]);
  fs.appendFileSync(file, '{"step":3}\n');
  await tail.stop(); // reads what is left
  expect(seen.map((r) => r.step)).toEqual([1, 2, 3]);
});

it('tailJsonLog waits for a file that does not exist yet', async () => {
  const file = path.join(root, 'later.jsonl');
  const seen: unknown[] = [];
  const tail = await tailJsonLog(file, (r) => seen.push(r), 20);
  fs.writeFileSync(file, '{"step":1}\n');
  await tail.stop();
  expect(seen).toEqual([{ step: 1 }]);
});
