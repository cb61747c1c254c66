// Tokenizer throughput: WordPiece (bert-base-uncased, as BertTokenizer) and byte-level BPE
// (roberta-base's vocabulary, as RobertaTokenizer) over the same texts, tokens/s of
// encodeBatch (special tokens included, no truncation) after one warm-up pass.
// Usage: node bench/tokenizers/run-tokenizer-bench.mjs [--texts 4096] [--runs 5] [--warmup 1]
//        [--json FILE]   (after `npm run build`)
// Writes bench/results/<UTC time>-tokenizers.json (or FILE) and prints it. Texts: SST-2 dev
// sentences and MRPC dev pairs from ../shared, interleaved and repeated up to --texts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FsModelSource } from '@maxpoolbert/backend-node';
import { BertTokenizer, benchTokenizer, loadTokenizer } from '@maxpoolbert/core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const textCount = Number(args.texts ?? 4096);
const runs = Number(args.runs ?? 5);
const warmup = Number(args.warmup ?? 1);
const shared = process.env.MAXPOOLBERT_SHARED ?? path.resolve(root, '..', 'shared');
const glue = path.join(shared, 'data', 'glue');

const rows = (file) => fs.readFileSync(path.join(glue, file), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
// SST-2: sentence<TAB>label. MRPC: label, id1, id2, sentence1, sentence2. Interleaved, so any
// --texts has both single texts and pairs.
const singles = rows('SST-2/dev.tsv').map((r) => r[0]);
const pairs = rows('MRPC/dev.tsv').filter((r) => r.length >= 5).map((r) => ({ text: r[3], textPair: r[4] }));
const pool = singles.flatMap((text, i) => (i < pairs.length ? [text, pairs[i]] : [text]));
const inputs = Array.from({ length: textCount }, (_, i) => pool[i % pool.length]);

const tokenizers = [
  ['bert-base-uncased (WordPiece)', BertTokenizer.fromVocabText(fs.readFileSync(path.join(shared, 'fixtures', 'vocab', 'bert-base-uncased.txt'), 'utf8'), { do_lower_case: true })],
  ['roberta-base (byte-level BPE)', await loadTokenizer(await FsModelSource.open(path.join(shared, 'fixtures', 'tiny-roberta')))],
];
const results = [];
for (const [name, tokenizer] of tokenizers) results.push(await benchTokenizer(name, tokenizer, inputs, { runs, warmup }));

const record = {
  kind: 'tokenizers',
  date: new Date().toISOString(),
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  texts: inputs.length,
  results: results.map(({ timing, ...r }) => ({ ...r, medianMs: timing.medianMs, samplesMs: timing.samplesMs })),
};
const out = args.json ?? path.join(root, 'bench', 'results', `${record.date.replace(/\.\d+Z$/, 'Z').replaceAll(':', '-')}-tokenizers.json`);
fs.writeFileSync(`${out}.tmp`, JSON.stringify(record, null, 2) + '\n');
fs.renameSync(`${out}.tmp`, out);
process.stdout.write(JSON.stringify(record, null, 2) + '\n');
