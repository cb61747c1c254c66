// A training run killed with SIGKILL mid-way leaves a complete checkpoint; `train --resume`
// finishes it with exactly the weights, losses and metrics of an uninterrupted run with the same
// arguments (same backend: wasm is deterministic).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadClassifier } from '@maxpoolbert/core';
import { FsModelSource, useNodeBackend } from '@maxpoolbert/backend-node';
import { readCheckpoint } from '../../src/training/checkpoint';
import { cli, tempDir } from '../run-cli';
import { GLUE_DIR, initTinySmallVocab, readJson, requireBuiltBin, spawnBin, temporaries, waitFor } from './helpers';

const root = tempDir('mpb-resume-');
const model = path.join(root, 'tiny');

/** Every process started here, so a failing test leaves none running. */
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
  best: { step: number; metrics: Record<string, number> } | null;
  history: { step: number; metrics: Record<string, number>; loss: number; trainLoss: number }[];
  losses: number[];
  steps: number;
}

/** The training settings; `trainLimit` sets the length (batch 8: trainLimit / 8 steps). */
const trainArgv = (out: string, trainLimit: number) => [
  'train', '--model', model, '--head', 'cls', '--task', 'SST-2', '--data', GLUE_DIR,
  '--train-limit', String(trainLimit), '--dev-limit', '48', '--epochs', '1', '--batch-size', '8', '--lr', '1e-3',
  '--max-length', '32', '--eval-every', '5', '--backend', 'wasm', '--quiet', '--out', out,
];

const stepOf = (out: string): number | undefined => {
  try {
    return (readJson(path.join(out, 'checkpoint', 'trainer_state.json')) as { step: number }).step;
  } catch {
    return undefined; // not written yet (or, never, half-written: it is swapped in whole)
  }
};

it('a run killed after step 10 resumes to exactly the result of an uninterrupted run', async () => {
  requireBuiltBin();
  await useNodeBackend({ prefer: ['wasm'] }); // for loading the checkpoint here
  await initTinySmallVocab(model);

  let trainLimit = 320; // 40 steps
  let out = '';
  let killedAt = 0;
  let total = 0;
  let reference: ReturnType<typeof spawnBin> | undefined;
  let referenceOut = '';
  // If the machine is so fast that the run ends before the kill lands, try again with more steps.
  for (let attempt = 0; attempt < 3 && !killedAt; attempt++, trainLimit *= 2) {
    out = path.join(root, `killed-${attempt}`);
    referenceOut = path.join(root, `reference-${attempt}`);
    // The uninterrupted reference runs at the same time (it has its own core).
    reference?.child.kill('SIGKILL');
    reference = start(trainArgv(referenceOut, trainLimit));
    const run = start(trainArgv(out, trainLimit));
    const step = await waitFor(() => {
      const s = stepOf(out);
      return s !== undefined && s >= 10 ? s : undefined;
    }, 60_000, 20);
    if (step === undefined) throw new Error(`no checkpoint at step >= 10 within 60 s`);
    run.child.kill('SIGKILL');
    const exit = await run.done;
    const state = readJson<{ finished: boolean }>(path.join(out, 'checkpoint', 'trainer_state.json'));
    if (exit.signal === 'SIGKILL' && !state.finished) {
      killedAt = stepOf(out)!;
      total = trainLimit / 8;
    }
  }
  expect(killedAt).toBeGreaterThanOrEqual(10);

  // The checkpoint is whole: a loadable model folder, optimizer moments, state and arguments.
  const checkpoint = (await readCheckpoint(out))!;
  expect(checkpoint.dir).toBe(path.join(out, 'checkpoint'));
  expect(checkpoint.state).toMatchObject({ step: killedAt, totalSteps: total, finished: false });
  expect(killedAt % 5).toBe(0); // checkpoints happen at evaluations only
  expect(checkpoint.state.history.map((h) => h.step)).toEqual(Array.from({ length: killedAt / 5 }, (_, i) => (i + 1) * 5));
  expect(checkpoint.args.options).toMatchObject({ evalEvery: 5, batchSize: 8, seed: 42 });
  const loaded = await loadClassifier(await FsModelSource.open(checkpoint.dir));
  const names = [...loaded.model.variables().keys()];
  loaded.model.dispose();
  expect(loaded.newlyInitialised).toEqual([]);
  expect([...checkpoint.optimizer.moments.keys()].sort()).toEqual([...names.map((n) => `m/${n}`), ...names.map((n) => `v/${n}`)].sort());
  // A kill mid-write may leave temporaries beside it (".checkpoint.tmp-…"); they are never read.
  const leftovers = temporaries(out);

  const resumed = await cli('train', '--resume', out, '--backend', 'wasm');
  expect(resumed.stderr).toContain(`resuming ${out} at step ${killedAt}/${total}`);
  expect(resumed.code).toBe(0);
  expect(resumed.stdout).toMatch(new RegExp(`: ${total} steps in `));

  const ref = await reference!.done;
  expect({ code: ref.code, output: ref.output }).toEqual({ code: 0, output: expect.stringMatching(new RegExp(`: ${total} steps in `)) });

  const a = readJson<Results>(path.join(out, 'results.json'));
  const b = readJson<Results>(path.join(referenceOut, 'results.json'));
  expect(a.steps).toBe(total);
  expect(readJson(path.join(out, 'checkpoint', 'trainer_state.json'))).toMatchObject({ step: total, totalSteps: total, finished: true });
  expect(a.losses).toEqual(b.losses);
  expect(a.history.map(({ step, metrics, loss, trainLoss }) => ({ step, metrics, loss, trainLoss })))
    .toEqual(b.history.map(({ step, metrics, loss, trainLoss }) => ({ step, metrics, loss, trainLoss })));
  expect({ ...a.best, elapsedMs: 0 }).toEqual({ ...b.best, elapsedMs: 0 });
  const bytes = (dir: string, sub: string) => fs.readFileSync(path.join(dir, sub, 'model.safetensors'));
  expect(bytes(out, 'checkpoint').equals(bytes(referenceOut, 'checkpoint'))).toBe(true);
  expect(bytes(out, 'best').equals(bytes(referenceOut, 'best'))).toBe(true);
  expect(fs.readFileSync(path.join(out, 'checkpoint', 'optimizer.safetensors')).equals(fs.readFileSync(path.join(referenceOut, 'checkpoint', 'optimizer.safetensors')))).toBe(true);
  // The temporaries left by the kill were not picked up (and nothing new was left behind).
  expect(temporaries(out).sort()).toEqual(leftovers.sort());
}, 180_000);
