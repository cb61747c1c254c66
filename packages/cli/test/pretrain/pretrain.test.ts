// `maxpoolbert pretrain` end to end on a tiny random BERT (--preset tiny with a small vocabulary,
// the wasm backend): the validation loss falls, OUT is a BertForMaskedLM folder that `train` and
// `pretrain` take as --model, and bad calls fail in one line before any work.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli, readJsonlFile, tempDir } from '../run-cli';
import { readJson } from '../training/helpers';
import { safetensorsKeys, sst2Sentences, writeSmallVocab, writeText } from './helpers';

const root = tempDir('mpb-pretrain-');
const vocab = writeSmallVocab(path.join(root, 'vocab.txt'));
const vocabSize = fs.readFileSync(vocab, 'utf8').trim().split('\n').length;
const text = writeText(path.join(root, 'sst2.txt'), sst2Sentences(400));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

interface Results {
  steps: number;
  trainExamples: number;
  validationExamples: number;
  history: { step: number; loss: number; perplexity: number; maskedTokens: number }[];
  losses: (number | null)[];
}

const loud = ['--backend', 'wasm', '--max-length', '32', '--batch-size', '16', '--lr', '2e-3', '--warmup-ratio', '0'];
const base = [...loud, '--quiet'];
const out = path.join(root, 'out');

it('pre-trains from a preset: the validation loss falls, and OUT is a BertForMaskedLM folder', async () => {
  const log = path.join(root, 'log.jsonl');
  const r = await cli('pretrain', '--preset', 'tiny', '--vocab', vocab, '--text', text, '--out', out, '--epochs', '3', '--eval-every', '5', '--json-log', log, ...loud);
  expect(r.code).toBe(0);
  const res = readJson<Results>(path.join(out, 'pretrain_results.json'));
  expect(r.stderr).toContain('note: the model has no masked-LM head (cls.predictions.*): a new one is initialised\n');
  expect(r.stderr).toContain(`text: ${res.trainExamples} blocks of 32 tokens from 380 lines of ${text}; validation: ${res.validationExamples} from 20 lines\n`);
  expect(r.stderr).toMatch(/pretrain: \d+\/\d+ \(\d+%\) epoch=1\/3 loss=[\d.]+ lr=[\d.e-]+ tok\/s=\d+ /); // the progress line
  expect(r.stderr).toContain(`eval at step 5: loss ${res.history[0]!.loss.toFixed(4)}, perplexity ${res.history[0]!.perplexity.toFixed(2)}`);
  expect(r.stdout).toContain(`${res.steps} steps`);
  expect(res.validationExamples).toBeGreaterThan(0); // 5 % of the lines held out by default
  expect(res.steps).toBe(Math.ceil(res.trainExamples / 16) * 3);
  const [first, last] = [res.history[0]!, res.history[res.history.length - 1]!];
  expect(last.step).toBe(res.steps);
  expect(res.history.every((h) => h.maskedTokens === first.maskedTokens)).toBe(true); // one fixed validation masking
  for (const h of res.history) expect(h.perplexity).toBeCloseTo(Math.exp(h.loss), 4);
  expect(first.loss).toBeLessThan(Math.log(vocabSize)); // below a uniform guess over the vocabulary already
  expect(last.loss).toBeLessThan(first.loss - 0.2);
  expect(res.losses).toHaveLength(res.steps);
  const lines = readJsonlFile(log);
  expect(lines.filter((l) => l.type === 'step')).toHaveLength(res.steps);
  expect(lines.filter((l) => l.type === 'eval').map((l) => l.loss)).toEqual(res.history.map((h) => h.loss));

  const config = readJson<Record<string, unknown>>(path.join(out, 'config.json'));
  expect(config).toMatchObject({ architectures: ['BertForMaskedLM'], model_type: 'bert', vocab_size: vocabSize });
  const keys = safetensorsKeys(path.join(out, 'model.safetensors'));
  expect(keys).toEqual(expect.arrayContaining(['bert.embeddings.word_embeddings.weight', 'cls.predictions.bias', 'cls.predictions.transform.dense.weight']));
  expect(keys.filter((k) => k.includes('pooler') || k.includes('decoder'))).toEqual([]); // as HF saves BertForMaskedLM
  expect(fs.readFileSync(path.join(out, 'vocab.txt'), 'utf8')).toBe(fs.readFileSync(vocab, 'utf8'));
  expect(safetensorsKeys(path.join(out, 'checkpoint', 'model.safetensors'))).toEqual(keys);
  expect(fs.existsSync(path.join(out, '.maxpoolbert.lock'))).toBe(false);
  const chart = fs.readFileSync(path.join(out, 'pretrain_curve.svg'), 'utf8'); // drawn from the same history
  expect(chart).toContain(`held-out perplexity ${first.perplexity.toFixed(1)} (step ${first.step}) → ${last.perplexity.toFixed(1)} (step ${last.step})`);
  expect(r.stdout).toContain(`chart: ${path.join(path.resolve(out), 'pretrain_curve.svg')}\n`);
});

it('the output fine-tunes with train, and pre-trains again (line by line, whole-word masking)', async () => {
  const train = path.join(root, 'train.jsonl');
  const labelled = sst2Sentences(64, 1000).map((s, i) => JSON.stringify({ text: s, label: i % 2 ? 'pos' : 'neg' }));
  fs.writeFileSync(train, labelled.join('\n') + '\n');
  const fine = await cli('train', '--model', out, '--head', 'cls', '--train', train, '--dev', train, '--text-column', 'text', '--label-column', 'label', '--epochs', '1', '--batch-size', '16',
    '--max-length', '32', '--backend', 'wasm', '--quiet', '--out', path.join(root, 'fine'));
  expect(fine.stderr).toBe('');
  expect(fine.code).toBe(0);
  expect(fs.existsSync(path.join(root, 'fine', 'best', 'model.safetensors'))).toBe(true);

  const input = path.join(root, 'masked.jsonl');
  fs.writeFileSync(input, JSON.stringify({ text: 'the film is [MASK] .' }) + '\n' + JSON.stringify({ text: 'a [MASK] and [MASK] movie' }) + '\n');
  const filled = await cli('fill-mask', '--model', out, '--input', input, '--output', path.join(root, 'filled.jsonl'), '--backend', 'wasm');
  expect({ code: filled.code, stderr: filled.stderr }).toEqual({ code: 0, stderr: '' });
  const predictions = readJsonlFile(path.join(root, 'filled.jsonl')) as { masks: { predictions: unknown[] }[] }[];
  expect(predictions.map((p) => p.masks.map((m) => m.predictions.length))).toEqual([[5], [5, 5]]);
  const embedded = await cli('embed', '--model', out, '--input', input, '--output', path.join(root, 'embedded.jsonl'), '--backend', 'wasm');
  expect({ code: embedded.code, stderr: embedded.stderr }).toEqual({ code: 0, stderr: '' });
  expect(readJsonlFile(path.join(root, 'embedded.jsonl'))).toHaveLength(2);

  // Again from OUT: two text files, a validation file, one example per line, whole words masked.
  const again = path.join(root, 'again');
  const second = writeText(path.join(root, 'more.txt'), sst2Sentences(100, 2000));
  const held = writeText(path.join(root, 'held.txt'), sst2Sentences(30, 3000));
  const r = await cli('pretrain', '--model', out, '--text', text, '--text', second, '--validation-text', held, '--out', again, '--epochs', '1', '--line-by-line', '--whole-word-mask', ...loud);
  expect(r.code).toBe(0);
  expect(r.stderr).not.toMatch(/note|warning/); // OUT has its masked-LM head, and everything of it loads
  expect(r.stderr).toContain('text: 500 examples (one per line) from 500 lines of 2 files (sst2.txt, more.txt); validation: 30 from 30 lines\n');
  const res = readJson<Results>(path.join(again, 'pretrain_results.json'));
  expect({ train: res.trainExamples, validation: res.validationExamples }).toEqual({ train: 500, validation: 30 }); // one example per line
  expect(res.steps).toBe(Math.ceil(500 / 16));
  expect(res.history).toHaveLength(1);
});

it('refuses bad calls in one line, before any work', async () => {
  const cases: [string[], RegExp][] = [
    [['--preset', 'tiny', '--model', out, '--text', text, '--out', path.join(root, 'x')], /give one of --model DIR .* or --preset NAME/],
    [['--preset', 'tiny', '--out', path.join(root, 'x')], /--text FILE is required/],
    [['--preset', 'huge', '--text', text, '--out', path.join(root, 'x')], /--preset must be one of tiny, .*got "huge"/],
    [['--preset', 'tiny', '--text', text, '--validation-text', text, '--validation-split', '0.1', '--out', path.join(root, 'x')], /pass one of them/],
    [['--preset', 'tiny', '--text', text, '--mlm-probability', '1.5', '--out', path.join(root, 'x')], /--mlm-probability must be a number in \(0, 1\), e\.g\. 0\.15, got "1\.5"/],
    [['--resume', out, '--lr', '1e-3'], /--lr cannot change when resuming/],
  ];
  for (const [argv, message] of cases) {
    const r = await cli('pretrain', ...argv, '--backend', 'wasm');
    expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }
  expect(fs.existsSync(path.join(root, 'x'))).toBe(false);

  const missing = await cli('pretrain', '--preset', 'tiny', '--vocab', vocab, '--text', path.join(root, 'nope.txt'), '--out', path.join(root, 'x'), '--backend', 'wasm');
  expect(missing.stderr).toMatch(/nope\.txt: --text file not found/);
  const short = await cli('pretrain', '--preset', 'tiny', '--vocab', vocab, '--text', writeText(path.join(root, 'short.txt'), ['a fine film', 'dull']), '--validation-split', '0', '--out', path.join(root, 'x'), '--backend', 'wasm');
  expect(short.stderr).toMatch(/short\.txt: the text holds \d+ tokens, fewer than one block of --max-length 128 .*--line-by-line/);
  const taken = await cli('pretrain', '--preset', 'tiny', '--vocab', vocab, '--text', text, '--out', out, '--backend', 'wasm');
  expect(taken.stderr).toMatch(/already holds a pre-training run: continue it with --resume/);
  // Another live process holds the folder: refused at once, naming it.
  const locked = path.join(root, 'locked');
  fs.mkdirSync(locked);
  fs.writeFileSync(path.join(locked, '.maxpoolbert.lock'), JSON.stringify({ pid: process.ppid, host: os.hostname(), command: 'pretrain', started: 'earlier' }) + '\n');
  const busy = await cli('pretrain', '--preset', 'tiny', '--vocab', vocab, '--text', text, '--out', locked, '--backend', 'wasm');
  expect(busy.stderr).toMatch(new RegExp(`locked is in use by pretrain \\(pid ${process.ppid}, since earlier\\)`));
  for (const r of [missing, short, taken, busy]) expect(r.code).toBe(1);
  expect(fs.existsSync(path.join(root, 'x'))).toBe(false); // nothing created by a run that could not start
});
