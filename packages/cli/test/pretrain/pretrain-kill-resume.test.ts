// A pre-training run killed with SIGKILL mid-way leaves a complete checkpoint; `pretrain
// --resume` finishes it with exactly the weights, optimizer moments, losses and validation
// history of an uninterrupted run with the same arguments (wasm: deterministic).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, tempDir } from '../run-cli';
import { readJson, requireBuiltBin, spawnBin, waitFor } from '../training/helpers';
import { sst2Sentences, writeSmallVocab, writeText } from './helpers';

const root = tempDir('mpb-pretrain-resume-');
const children: ReturnType<typeof spawnBin>[] = [];
const start = (argv: string[]) => {
  const c = spawnBin(argv);
  children.push(c);
  return c;
};

afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  await Promise.all(children.map((c) => c.done.catch(() => undefined)));
  fs.rmSync(root, { recursive: true, force: true });
});

interface Results {
  steps: number;
  tokensSeen: number;
  history: { step: number; loss: number; perplexity: number; maskedTokens: number; trainLoss: number }[];
  losses: (number | null)[];
}

const stepOf = (out: string): number | undefined => {
  try {
    return (readJson(path.join(out, 'checkpoint', 'pretrainer_state.json')) as { step: number }).step;
  } catch {
    return undefined;
  }
};

it('a run killed after step 6 resumes to exactly the result of an uninterrupted run', async () => {
  requireBuiltBin();
  const vocab = writeSmallVocab(path.join(root, 'vocab.txt'));
  let lines = 300;
  let killedAt = 0;
  let out = '';
  let referenceOut = '';
  let reference: ReturnType<typeof spawnBin> | undefined;
  // If the machine is so fast that the run ends before the kill lands, try again with more text.
  for (let attempt = 0; attempt < 3 && !killedAt; attempt++, lines *= 2) {
    const text = writeText(path.join(root, `text-${attempt}.txt`), sst2Sentences(lines));
    const argv = (dir: string) => [
      'pretrain', '--preset', 'tiny', '--vocab', vocab, '--text', text, '--out', dir, '--max-length', '32', '--batch-size', '8',
      '--epochs', '2', '--eval-every', '3', '--lr', '2e-3', '--grad-accum', '2', '--backend', 'wasm', '--quiet',
    ];
    out = path.join(root, `killed-${attempt}`);
    referenceOut = path.join(root, `reference-${attempt}`);
    reference?.child.kill('SIGKILL');
    reference = start(argv(referenceOut)); // the uninterrupted run, at the same time
    const run = start(argv(out));
    const step = await waitFor(() => {
      const s = stepOf(out);
      return s !== undefined && s >= 6 ? s : undefined;
    }, 120_000, 20);
    if (step === undefined) throw new Error('no checkpoint at step >= 6 within 120 s');
    run.child.kill('SIGKILL');
    const exit = await run.done;
    const state = readJson<{ finished: boolean }>(path.join(out, 'checkpoint', 'pretrainer_state.json'));
    if (exit.signal === 'SIGKILL' && !state.finished) killedAt = stepOf(out)!;
  }
  expect(killedAt).toBeGreaterThanOrEqual(6);
  expect(killedAt % 3).toBe(0); // checkpoints at evaluations only
  expect(fs.existsSync(path.join(out, 'pretrain_results.json'))).toBe(false);

  const resumed = await cli('pretrain', '--resume', out, '--backend', 'wasm');
  expect(resumed.code).toBe(0);
  expect(resumed.stderr).toContain(`resuming ${out} at step ${killedAt}/`);

  const ref = await reference!.done;
  expect({ code: ref.code, output: ref.output }).toEqual({ code: 0, output: expect.stringMatching(/^pretrain on .*: \d+ steps/) });
  const a = readJson<Results>(path.join(out, 'pretrain_results.json'));
  const b = readJson<Results>(path.join(referenceOut, 'pretrain_results.json'));
  expect(a.steps).toBeGreaterThan(killedAt);
  expect({ steps: a.steps, tokensSeen: a.tokensSeen, losses: a.losses }).toEqual({ steps: b.steps, tokensSeen: b.tokensSeen, losses: b.losses });
  const eval_ = (r: Results) => r.history.map(({ step, loss, perplexity, maskedTokens, trainLoss }) => ({ step, loss, perplexity, maskedTokens, trainLoss }));
  expect(eval_(a)).toEqual(eval_(b));
  const bytes = (dir: string, file: string) => fs.readFileSync(path.join(dir, file));
  for (const file of ['model.safetensors', 'config.json', 'checkpoint/model.safetensors', 'checkpoint/optimizer.safetensors']) {
    expect({ file, same: bytes(out, file).equals(bytes(referenceOut, file)) }).toEqual({ file, same: true });
  }
}, 400_000);
