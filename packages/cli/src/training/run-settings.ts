import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Dataset } from '@maxpoolbert/core';
import { UsageError } from '../command.js';
import { peekTrainingArgs, type TrainingArgs } from './checkpoint.js';
import type { LoadedData } from './data-source.js';

/**
 * A run folder remembers the settings it was trained with (training_args.json in its
 * checkpoint, `settings` in its results.json). A compare run again into the same folder reuses
 * finished runs and resumes unfinished ones, which is right only for the same settings: with
 * others it would report the old numbers as new ones. So the settings are compared first.
 */

/** The flag that sets each field, for messages (the others are named by their kebab-case key). */
const FLAGS: Record<string, string> = {
  model: '--model', dataSeed: '--data-seed', dataFingerprint: 'the data',
  'head.type': '--heads', 'head.layers': '--layers', 'head.numHeads': '--num-heads', 'head.usePooler': '--pooler', 'head.dropout': '--dropout',
  'options.epochs': '--epochs', 'options.batchSize': '--batch-size', 'options.learningRate': '--lr', 'options.warmupRatio': '--warmup-ratio',
  'options.warmupSteps': '--warmup-steps', 'options.weightDecay': '--weight-decay', 'options.maxGradNorm': '--max-grad-norm',
  'options.gradientAccumulation': '--grad-accum', 'options.maxLength': '--max-length', 'options.seed': '--seed',
  'options.evalEvery': '--eval-every', 'options.earlyStoppingPatience': '--early-stopping', 'options.lengthBucketing': '--length-bucketing',
  'options.evalBatchSize': '--eval-batch-size',
  'data.task': '--task', 'data.dataDir': '--data', 'data.trainFile': '--train', 'data.devFile': '--dev', 'data.format': '--format',
  'data.textColumn': '--text-column', 'data.textPairColumn': '--text-pair-column', 'data.labelColumn': '--label-column',
  'data.trainLimit': '--train-limit', 'data.devLimit': '--dev-limit', 'data.skipBadRows': '--skip-bad-rows',
};

/** Fields that do not change what is trained: the name reports give the data. */
const COSMETIC = new Set(['data.name']);

/**
 * A short hash of the examples a run trains and is evaluated on (texts, labels, label names),
 * so a data file edited in place counts as other data although its path is the same.
 */
export function dataFingerprint(data: Pick<LoadedData, 'train' | 'dev' | 'labels'>): string {
  // A compare hashes its data once and then hands the same object to each in-process run.
  let fingerprint = fingerprints.get(data);
  if (fingerprint === undefined) fingerprints.set(data, (fingerprint = hashExamples(data)));
  return fingerprint;
}

const fingerprints = new WeakMap<object, string>();

function hashExamples(data: Pick<LoadedData, 'train' | 'dev' | 'labels'>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(data.labels));
  const add = (d: Dataset | undefined) => {
    hash.update(`\u0000${d?.examples.length ?? -1}`);
    for (const e of d?.examples ?? []) hash.update(JSON.stringify([e.text, e.textPair ?? null, e.label]));
  };
  add(data.train);
  add(data.dev);
  return hash.digest('hex').slice(0, 16);
}

/** Unset, null and false all mean "off": a field added later (false by default) is no change. */
const unset = (v: unknown) => v === undefined || v === null || v === false;

function show(key: string, v: unknown): string {
  if (v === undefined || v === null) return key === 'head.usePooler' ? 'default' : 'unset';
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  return String(v);
}

function flat(args: TrainingArgs): Map<string, unknown> {
  const out = new Map<string, unknown>([['model', args.model], ['dataSeed', args.dataSeed]]);
  for (const group of ['head', 'options', 'data'] as const) {
    for (const [k, v] of Object.entries((args[group] ?? {}) as object)) out.set(`${group}.${k}`, v);
  }
  out.set('dataFingerprint', args.dataFingerprint);
  return out;
}

/**
 * The settings in which `saved` (a run folder's) differs from `wanted` (this command's), as
 * "--epochs 1 → 2". Labels follow from the data, so they are not compared; the data fingerprint
 * only where both runs have one (runs from before it was recorded do not).
 */
export function settingsDiff(saved: TrainingArgs, wanted: TrainingArgs): string[] {
  const a = flat(saved);
  const b = flat(wanted);
  const diffs: string[] = [];
  let dataFlagChanged = false;
  // dataFingerprint comes last in both maps, after every flag it could be explained by.
  for (const key of new Set([...[...b.keys(), ...a.keys()].filter((k) => k !== 'dataFingerprint'), 'dataFingerprint'])) {
    if (COSMETIC.has(key)) continue;
    const was = a.get(key);
    const now = b.get(key);
    if (key === 'dataFingerprint' && (was === undefined || now === undefined)) continue;
    if (key === 'head.usePooler' ? was === now : (unset(was) && unset(now)) || was === now) continue;
    if (key === 'dataFingerprint') {
      // Named only when no data flag explains it: the files were edited in place.
      if (!dataFlagChanged) diffs.push('the data (same files and flags, other examples)');
      continue;
    }
    if (key.startsWith('data.') || key === 'dataSeed') dataFlagChanged = true;
    const flag = FLAGS[key] ?? `--${key.split('.').pop()!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    diffs.push(`${flag} ${show(key, was)} → ${show(key, now)}`);
  }
  return diffs;
}

export interface PlannedRun {
  /** The run's folder, e.g. OUT/runs/cls/seed-1. */
  dir: string;
  /** What this command would train there. */
  wanted: TrainingArgs;
}

/**
 * Checks every planned run's folder against the settings it would be trained with, before any
 * training. On a difference it refuses, naming the runs and the settings; with `force` it
 * removes those runs instead, so they are trained again from scratch.
 */
export async function checkRunSettings(runs: PlannedRun[], o: { out: string; force: boolean }): Promise<string[]> {
  const stale: { dir: string; diff: string[] }[] = [];
  for (const run of runs) {
    const saved = await peekTrainingArgs(run.dir);
    const diff = saved ? settingsDiff(saved, run.wanted) : [];
    if (diff.length) stale.push({ dir: run.dir, diff });
  }
  if (!stale.length) return [];
  if (!o.force) {
    const names = stale.map((s) => path.relative(o.out, s.dir) || s.dir);
    const which = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
    const diffs = [...new Set(stale.flatMap((s) => s.diff))];
    throw new UsageError(
      `${path.resolve(o.out)} holds runs trained with other settings (${which}): ${diffs.join(', ')}; ` +
        'pass --force to train those runs again with these settings, or choose another --out',
    );
  }
  for (const s of stale) {
    // Moved aside first (one rename), so a kill during the removal leaves no half run behind.
    const aside = path.join(path.dirname(s.dir), `.${path.basename(s.dir)}.discarded-${process.pid}`);
    await fsp.rm(aside, { recursive: true, force: true });
    await fsp.rename(s.dir, aside);
    await fsp.rm(aside, { recursive: true, force: true });
  }
  return stale.map((s) => s.dir);
}
