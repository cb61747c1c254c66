import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import {
  loadMaskedLm, MaxPoolBertError, prepareMlmData, pretrain, type LoadedMaskedLm, type MlmData, type MlmEvalRecord, type PretrainState,
} from '@maxpoolbert/core';
import { FsModelSource, writeFileAtomic } from '@maxpoolbert/backend-node';
import type { CliIo } from '../command.js';
import { renderPretrainSvg } from '../report/pretrain-chart.js';
import { ProgressReporter } from '../report/progress.js';
import { JsonLog } from '../training/json-log.js';
import { lockOutFolder } from '../training/out-lock.js';
import {
  CHART_FILE, CHECKPOINT_DIR, holdsPretrainCheckpoint, readPretrainCheckpoint, RESULTS_FILE, writeFinalModel, writePretrainCheckpoint,
} from './pretrain-checkpoint.js';
import type { PretrainRunArgs } from './pretrain-flags.js';
import { presetSource } from './preset-source.js';
import { readTextFiles, type TextCorpus } from './text-files.js';

/** What a finished pre-training run reports (pretrain_results.json). */
export interface PretrainResult {
  /** The output folder: a BertForMaskedLM model folder. */
  model: string;
  data: string;
  trainExamples: number;
  validationExamples: number;
  steps: number;
  tokensSeen: number;
  trainSeconds: number;
  /** Validation loss and perplexity at every evaluation. */
  history: MlmEvalRecord[];
  /** Training loss per step (null for a step that masked no token). */
  losses: (number | null)[];
  backend: string;
  threads?: number;
  settings: PretrainRunArgs;
}

export interface RunPretrainingOptions {
  io: CliIo;
  quiet?: boolean;
  jsonLog?: string;
  backend: string;
  threads?: number;
}

interface Prepared {
  loaded: LoadedMaskedLm;
  data: MlmData;
  corpus: TextCorpus;
  notes: string[];
}

/** The text of a run, read and turned into examples (the same way for a new and a resumed run). */
async function prepareData(args: PretrainRunArgs, loaded: LoadedMaskedLm, notes: string[]): Promise<{ data: MlmData; corpus: TextCorpus }> {
  const corpus = await readTextFiles(args.text, { strict: args.strict, notes, flag: '--text' });
  const validation = args.validationText ? await readTextFiles(args.validationText, { strict: args.strict, notes, flag: '--validation-text' }) : undefined;
  if (args.options.maxLength > loaded.config.max_position_embeddings) {
    throw new MaxPoolBertError(`--max-length ${args.options.maxLength} is longer than the model's max_position_embeddings (${loaded.config.max_position_embeddings}): pass --max-length ${loaded.config.max_position_embeddings} or less`);
  }
  const data = prepareMlmData(loaded.tokenizer, {
    lines: corpus.lines, validationLines: validation?.lines, validationSplit: args.validationSplit, splitSeed: args.dataSeed,
    maxLength: args.options.maxLength, lineByLine: args.options.lineByLine, source: corpus.description,
  });
  const fingerprint = validation ? `${corpus.fingerprint}+${validation.fingerprint}` : corpus.fingerprint;
  return { data, corpus: { ...corpus, fingerprint } };
}

const alreadyHolds = (outDir: string) =>
  new MaxPoolBertError(`${path.resolve(outDir)} already holds a pre-training run: continue it with --resume ${outDir}, or choose another --out`);
const nothingToResume = (outDir: string) =>
  new MaxPoolBertError(`${path.resolve(outDir)}: no pre-training checkpoint to resume (start the run without --resume)`);

/**
 * Runs (or resumes) a pre-training run into `outDir`, as `runTraining` does a fine-tuning run:
 * a new run is checked first (the folder holds no run or model, the text and model load) and
 * creates nothing when it cannot start; the folder is locked while the run works in it; a
 * checkpoint is swapped in at every evaluation; the final model and the results are written at
 * the end.
 */
export async function runPretraining(outDir: string, fresh: PretrainRunArgs | null, o: RunPretrainingOptions): Promise<PretrainResult> {
  let prepared: Prepared | undefined;
  if (fresh) {
    if (await holdsPretrainCheckpoint(outDir)) throw alreadyHolds(outDir);
    for (const name of [RESULTS_FILE, 'config.json', 'model.safetensors']) {
      if (await fsp.stat(path.join(outDir, name)).catch(() => null)) {
        throw new MaxPoolBertError(`${path.resolve(outDir)} already holds ${name === RESULTS_FILE ? 'a finished pre-training run' : 'a model'} (${name}): choose another --out`);
      }
    }
    const source = 'model' in fresh.origin ? await FsModelSource.open(fresh.origin.model) : await presetSource(fresh.origin);
    const loaded = await loadMaskedLm(source, { trainable: true, seed: fresh.options.seed });
    const notes = [...loaded.notes];
    try {
      prepared = { loaded, notes, ...(await prepareData(fresh, loaded, notes)) };
    } catch (err) {
      loaded.model.dispose();
      throw err;
    }
  } else if (!(await fsp.stat(outDir).catch(() => null))?.isDirectory()) {
    throw nothingToResume(outDir);
  }
  let lock;
  try {
    lock = lockOutFolder(outDir, fresh ? 'pretrain' : 'pretrain --resume', { create: !!fresh });
  } catch (err) {
    prepared?.loaded.model.dispose();
    throw err;
  }
  try {
    return await pretrainInLockedFolder(outDir, fresh, prepared, o);
  } finally {
    lock.release();
  }
}

async function pretrainInLockedFolder(outDir: string, fresh: PretrainRunArgs | null, prepared: Prepared | undefined, o: RunPretrainingOptions): Promise<PretrainResult> {
  let loaded = prepared?.loaded;
  let log: JsonLog | undefined;
  try {
    const saved = await readPretrainCheckpoint(outDir); // under the lock: it puts back a folder a kill left aside
    if (!fresh && !saved) throw nothingToResume(outDir);
    if (fresh && saved) throw alreadyHolds(outDir); // started in the meantime by another process
    let args: PretrainRunArgs;
    let run: Prepared;
    if (saved) {
      loaded = await loadMaskedLm(await FsModelSource.open(saved.dir), { trainable: true });
      const notes: string[] = [];
      const { data, corpus } = await prepareData(saved.args, loaded, notes);
      if (saved.args.dataFingerprint && saved.args.dataFingerprint !== corpus.fingerprint) {
        throw new MaxPoolBertError(`${path.resolve(outDir)}: the text differs from the text the run started with (files edited since?): resume with the same text, or start a new run`);
      }
      args = saved.args;
      run = { loaded, data, corpus, notes };
    } else {
      run = prepared!;
      args = { ...fresh!, dataFingerprint: run.corpus.fingerprint };
    }
    const { data, corpus } = run;
    const options = args.options;
    log = o.jsonLog ? await JsonLog.open(o.jsonLog) : undefined;
    const totalSteps = Math.ceil(data.train.length / options.batchSize) * options.epochs;
    const progress = new ProgressReporter({ total: totalSteps, label: 'pretrain', isTty: o.io.isTty, write: o.io.stderr, quiet: o.quiet, initial: saved?.state.step });
    if (!o.quiet) {
      for (const n of run.notes) o.io.stderr(`note: ${n}\n`);
      if (!saved && run.loaded.headInitialised) o.io.stderr('note: the model has no masked-LM head (cls.predictions.*): a new one is initialised\n');
      const unit = options.lineByLine ? 'examples (one per line)' : `blocks of ${options.maxLength} tokens`;
      o.io.stderr(`text: ${data.train.length} ${unit} from ${data.trainLines} lines of ${corpus.description}; validation: ${data.validation.length} from ${data.validationLines} lines\n`);
      if (saved) o.io.stderr(`resuming ${path.resolve(outDir)} at step ${saved.state.step}/${saved.state.totalSteps}\n`);
    }
    // tokens/s over this process's steps (a resumed run's earlier tokens took no time here)
    const started = { at: performance.now(), tokens: saved?.state.tokensSeen ?? 0 };
    let state: PretrainState;
    if (saved?.state.finished) {
      state = saved.state;
    } else {
      state = await pretrain({
        model: run.loaded.model, tokenizer: run.loaded.tokenizer, train: data.train, validation: data.validation, options,
        resume: saved ? { state: saved.state, optimizer: saved.optimizer } : undefined,
        callbacks: {
          onStep: (p) => {
            const seconds = (performance.now() - started.at) / 1000;
            const tokensPerSecond = seconds > 0 ? Math.round((p.tokensSeen - started.tokens) / seconds) : 0;
            progress.update(p.step, { epoch: `${p.epoch + 1}/${options.epochs}`, loss: p.loss, lr: p.learningRate, 'tok/s': tokensPerSecond });
            log?.write({ type: 'step', ...p });
          },
          onEvaluation: async (record) => {
            progress.message(`eval at step ${record.step}: loss ${record.loss.toFixed(4)}, perplexity ${record.perplexity.toFixed(2)} (${record.maskedTokens} masked tokens)`);
            log?.write({ type: 'eval', ...record });
            await log?.flush();
          },
          onCheckpoint: (s, optimizer) => writePretrainCheckpoint(outDir, run.loaded, s, optimizer, args),
        },
      });
      progress.finish();
    }
    await log?.flush();
    await writeFinalModel(outDir, run.loaded);
    const result: PretrainResult = {
      model: path.resolve(outDir), data: corpus.description, trainExamples: data.train.length, validationExamples: data.validation.length,
      steps: state.step, tokensSeen: state.tokensSeen, trainSeconds: state.elapsedMs / 1000, history: state.history, losses: state.losses,
      backend: o.backend, ...(o.threads ? { threads: o.threads } : {}), settings: args,
    };
    await writeFileAtomic(path.join(outDir, CHART_FILE), [renderPretrainSvg(result)]);
    await writeFileAtomic(path.join(outDir, RESULTS_FILE), [JSON.stringify(result, null, 2) + '\n']);
    return result;
  } finally {
    await log?.close();
    loaded?.model.dispose();
  }
}

/** The summary printed at the end. */
export function formatPretrainSummary(r: PretrainResult): string {
  const first = r.history[0];
  const last = r.history[r.history.length - 1];
  const validation = first && last
    ? `validation loss ${first.loss.toFixed(4)} → ${last.loss.toFixed(4)}, perplexity ${first.perplexity.toFixed(2)} → ${last.perplexity.toFixed(2)}`
    : 'no validation text';
  return [
    `pretrain on ${r.data}: ${r.steps} steps, ${r.tokensSeen} tokens in ${r.trainSeconds.toFixed(1)} s (${r.backend})`,
    validation,
    `model: ${r.model} (BertForMaskedLM; checkpoint in ${path.join(r.model, CHECKPOINT_DIR)})`,
    `chart: ${path.join(r.model, CHART_FILE)}`,
  ].join('\n') + '\n';
}
