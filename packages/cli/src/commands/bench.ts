import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '@maxpoolbert/backend-node';
import { backendProviders, backendProvidersInOrder, BERT_PRESETS, heads, isBertPreset, MaxPoolBertError, type BertPreset } from '@maxpoolbert/core';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { planBench, REFERENCE_BACKEND, type BenchConfig } from '../bench/plan.js';
import { BENCH_SCHEMA, benchChartData, benchDocument, benchMarkdown, type BenchFailure } from '../bench/report.js';
import { runConfig, type BenchEvent, type CliBenchRecord } from '../bench/run-config.js';
import { BenchChildError, describeConfig, runConfigInChild } from '../bench/spawn.js';
import { asUsage, intOption, listOption, stringOption, UsageError, type Command, type ParsedOptions } from '../command.js';
import { ProgressReporter } from '../report/progress.js';
import { renderCompareSvg } from '../report/svg-chart.js';
import { looksOutOfMemory } from '../bench/out-of-memory.js';

const localRequire = createRequire(import.meta.url);

/** Whether a package resolves from here, without loading it. */
function isInstalled(name: string): boolean {
  try {
    localRequire.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** Where results go without --json (relative to the current folder: the repository root for `npm run bench`). */
export const DEFAULT_RESULTS_DIR = path.join('bench', 'results');

function intList(opts: ParsedOptions, key: string): number[] {
  const values = listOption(opts, key).map(Number);
  if (values.length === 0 || values.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new UsageError(`--${key} must be a comma-separated list of integers >= 1, got "${stringOption(opts, key)}"`);
  }
  return values;
}

/**
 * `auto` (the first available backend in the default order), `all` (every available backend
 * that is not on request only, such as webgpu) or names. Only the backends in question are
 * probed (probing webgpu starts a GPU instance).
 */
async function resolveBackends(names: string[]): Promise<string[]> {
  const probeAll = async () => {
    const out: { name: string; available: boolean; detail: string }[] = [];
    for (const p of backendProvidersInOrder().filter((x) => !x.onRequestOnly)) out.push({ name: p.name, ...(await p.probe()) });
    return out;
  };
  if (names.length === 1 && (names[0] === 'auto' || names[0] === 'all')) {
    const probes = await probeAll();
    const available = probes.filter((p) => p.available).map((p) => p.name);
    if (available.length === 0) throw new MaxPoolBertError(`no backend can run here: ${probes.map((p) => `${p.name}: ${p.detail}`).join('; ')}`);
    if (names[0] === 'auto') return available.slice(0, 1);
    // `all` puts the onnxruntime reference beside them where it is installed (a devDependency).
    return isInstalled('onnxruntime-node') ? [...available, REFERENCE_BACKEND] : available;
  }
  for (const name of names) {
    if (name === REFERENCE_BACKEND) {
      if (!isInstalled('onnxruntime-node')) throw new MaxPoolBertError(`--backend ${name}: onnxruntime-node is not installed (npm install -D onnxruntime-node; it is the repository's devDependency)`);
      continue;
    }
    if (!backendProviders.has(name)) throw new UsageError(`--backend: unknown backend "${name}" (known: auto, all, ${backendProviders.names().join(', ')})`);
    const probe = await backendProviders.get(name).probe();
    if (!probe.available) throw new MaxPoolBertError(`--backend ${name}: not available here: ${probe.detail}`);
  }
  return names;
}

function resolvePresets(names: string[]): { presets: BertPreset[]; all: boolean } {
  if (names.length === 1 && names[0] === 'all') return { presets: Object.keys(BERT_PRESETS) as BertPreset[], all: true };
  for (const p of names) if (!isBertPreset(p)) throw new UsageError(`--preset must be all or among ${Object.keys(BERT_PRESETS).join(', ')}, got "${p}"`);
  return { presets: names as BertPreset[], all: false };
}

function timestamp(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

function sibling(jsonFile: string, ext: string): string {
  return jsonFile.endsWith('.json') ? jsonFile.slice(0, -'.json'.length) + ext : jsonFile + ext;
}

function oneLine(r: CliBenchRecord): string {
  const unit = r.mode === 'train' ? 'ex/s' : 'seq/s';
  return `${describeConfig(r)}: ${r.itemsPerSecond.toFixed(2)} ${unit}, median ${r.timing.medianMs.toFixed(1)} ms, ` +
    `${r.gflops.median.toFixed(2)} GFLOP/s = ${(100 * r.ceilingRatio).toFixed(0)} % of the ${r.ceiling.gflops.toFixed(1)} GFLOP/s matmul ceiling, ` +
    `peak RSS ${r.peakRssMB.toFixed(0)} MB, leaked ${r.leakedTensorsPerStep} tensors/step`;
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'Benchmark inference and training speed, FLOP efficiency and memory of random-weight models per backend, preset and head.',
  options: {
    preset: { type: 'string', value: 'LIST', description: `model sizes (${Object.keys(BERT_PRESETS).join('|')}), comma-separated, or all`, default: 'mini' },
    backend: { type: 'string', value: 'LIST', description: 'auto (the fastest here), all (every available one, and the onnxruntime reference where installed), or names, comma-separated', default: 'auto' },
    threads: { type: 'string', value: 'LIST', description: 'thread counts for native and onnxruntime, comma-separated (default: every core)' },
    heads: { type: 'string', value: 'LIST', description: 'heads, comma-separated (overhead is reported against cls)', default: 'cls,max-seq-mha' },
    batch: { type: 'string', value: 'LIST', description: 'batch sizes, comma-separated', default: '8' },
    seq: { type: 'string', value: 'LIST', description: 'sequence lengths (tokens, no padding), comma-separated', default: '128' },
    train: { type: 'boolean', description: 'also time training steps (forward + backward + clipping + AdamW)' },
    warmup: { type: 'string', value: 'N', description: 'untimed runs first (at least 1)', default: '1' },
    runs: { type: 'string', value: 'N', description: 'timed runs (median, min and max are reported)', default: '5' },
    profile: { type: 'boolean', description: 'profile one more step per configuration with tf.profile: time per kernel type' },
    json: { type: 'string', value: 'FILE', description: `result file (default ${DEFAULT_RESULTS_DIR}/<time>.json); .md and .svg are written next to it` },
    'in-process': { type: 'boolean', description: 'run every configuration in this process (peak RSS then covers all of them)' },
    quiet: { type: 'boolean', description: 'no progress output' },
  },
  details: [
    'Each configuration (backend, preset, head, mode, batch, seq) runs in its own child process, so its peak RSS is its own.',
    'Models are built like `maxpoolbert init` (random weights, the 30522-word vocabulary); every token is real (no padding).',
    'FLOPs count matrix products only (2 per multiply-add); a training step is 3 × the forward. See bench/README.md.',
    '--preset all leaves out bert-large and cuts bert-medium/base on the JS cpu backend to inference, saying why.',
    'A configuration that runs out of memory is retried at half the batch size (noted in the results).',
  ].join('\n'),
  async run(opts, _pos, io) {
    const warmup = intOption(opts, 'warmup')!;
    const runs = intOption(opts, 'runs')!;
    const headNames = listOption(opts, 'heads');
    if (headNames.length === 0) throw new UsageError('--heads must name at least one head');
    for (const h of headNames) asUsage(() => heads.get(h)); // unknown names fail (exit 2) before anything runs
    const batches = intList(opts, 'batch');
    const seqs = intList(opts, 'seq');
    const { presets, all } = resolvePresets(listOption(opts, 'preset'));
    const backends = await resolveBackends(listOption(opts, 'backend'));
    const inProcess = opts['in-process'] === true;
    const threads = opts.threads === undefined ? [availableParallelism()] : intList(opts, 'threads');
    const settings = { backends, presets, heads: headNames, batches, seqs, train: opts.train === true, warmup, runs, profile: opts.profile === true, threads };
    const { configs, skipped } = planBench({ ...settings, capped: all });

    const jsonFile = path.resolve(stringOption(opts, 'json') ?? path.join(DEFAULT_RESULTS_DIR, `${timestamp()}.json`));
    if (!stringOption(opts, 'json')) await fsp.mkdir(path.dirname(jsonFile), { recursive: true });
    else if (!(await fsp.stat(path.dirname(jsonFile)).catch(() => null))?.isDirectory()) {
      throw new UsageError(`--json ${stringOption(opts, 'json')}: folder ${path.dirname(jsonFile)} does not exist`);
    }

    const quiet = opts.quiet === true;
    const progress = new ProgressReporter({
      total: configs.reduce((s, c) => s + c.warmup + c.runs, 0), label: 'bench', unit: 'run', isTty: io.isTty, write: io.stderr, quiet,
    });
    for (const s of skipped) progress.message(`skipped ${s.backend} ${s.preset}${s.mode ? ` ${s.mode}` : ''}: ${s.reason}`);
    const records: CliBenchRecord[] = [];
    const failed: BenchFailure[] = [];
    let done = 0;
    let unrecovered = 0;
    for (const planned of configs) {
      let config: BenchConfig = planned;
      for (;;) {
        const before = done;
        const onEvent = (e: BenchEvent) => {
          if (e.event === 'run') progress.update(++done, { config: describeConfig(config), ms: Math.round(e.ms) });
        };
        try {
          const record = inProcess ? await runConfig(config, io, onEvent, 'process') : await runConfigInChild(config, onEvent);
          if (config.batch !== planned.batch) record.note = `batch ${planned.batch} ran out of memory; ran at batch ${config.batch}`;
          records.push(record);
          progress.message(oneLine(record));
          break;
        } catch (err) {
          const error = (err as Error).message.split('\n')[0];
          failed.push({ config, error });
          progress.message(`failed: ${error}`);
          done = before;
          const retry = looksOutOfMemory(err instanceof BenchChildError ? err.stderr : error) && config.batch > 1;
          if (!retry) {
            progress.update((done = before + config.warmup + config.runs));
            unrecovered++;
            break;
          }
          config = { ...config, batch: Math.floor(config.batch / 2) };
          failed[failed.length - 1].retriedWithBatch = config.batch;
          progress.message(`retrying ${describeConfig(config)} at half the batch size`);
        }
      }
    }
    progress.finish();

    const doc = benchDocument({ ...settings, isolation: inProcess ? 'in-process' : 'child-process' }, records, skipped, failed);
    const mdFile = sibling(jsonFile, '.md');
    const svgFile = sibling(jsonFile, '.svg');
    await writeFileAtomic(jsonFile, [JSON.stringify(doc, null, 2) + '\n']);
    const markdown = benchMarkdown(doc);
    await writeFileAtomic(mdFile, [markdown]);
    await writeFileAtomic(svgFile, [renderCompareSvg(benchChartData(doc))]);
    io.stdout(`${markdown}\nresults: ${jsonFile} (${BENCH_SCHEMA})\nsummary: ${mdFile}\nchart:   ${svgFile}\n`);
    if (unrecovered) throw new MaxPoolBertError(`${unrecovered} of ${configs.length} configurations failed (listed in ${mdFile})`);
  },
};
