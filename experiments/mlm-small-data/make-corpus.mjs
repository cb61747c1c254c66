#!/usr/bin/env node
// Writes the experiment's unlabelled pre-training text, one document per line, and says what is
// in it. Sources (all on this machine, none downloaded): the sentences of the GLUE training files
// of SST-2, CoLA and MRPC (never their dev files, which the fine-tuning evaluates on), and the
// subject and body of every SpamAssassin e-mail (the demo's corpus, from npm). Labels are never
// read. Exact duplicate lines are written once.
//
//   node experiments/mlm-small-data/make-corpus.mjs --glue ../shared/data/glue --out DIR/corpus.txt
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { emailText, loadSpamCorpus } from '../../packages/cli/dist/demo/spam-data.js';

const { values } = parseArgs({
  options: {
    glue: { type: 'string' },
    out: { type: 'string' },
    // E-mails are long; keep the start of each, as a document (the demo keeps 600 characters).
    'email-chars': { type: 'string', default: '4000' },
  },
});
if (!values.glue || !values.out) {
  console.error('usage: make-corpus.mjs --glue DIR (holding SST-2/, CoLA/, MRPC/ train.tsv) --out FILE');
  process.exit(2);
}

function tsvRows(file) {
  return readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l !== '').map((l) => l.split('\t'));
}

const glue = (task) => path.join(values.glue, task, 'train.tsv');
const sources = {
  // SST-2: header "sentence\tlabel"; column 0.
  'SST-2 train sentences': tsvRows(glue('SST-2')).slice(1).map((r) => r[0]),
  // CoLA: no header; source, label, original label, sentence.
  'CoLA train sentences': tsvRows(glue('CoLA')).map((r) => r[3]),
  // MRPC: header; both strings of every pair.
  'MRPC train sentences': tsvRows(glue('MRPC')).slice(1).flatMap((r) => [r[3], r[4]]),
  'SpamAssassin e-mails': loadSpamCorpus().map((e) => emailText(e.text, Number(values['email-chars']))),
};

const seen = new Set();
const lines = [];
const report = {};
for (const [name, texts] of Object.entries(sources)) {
  let kept = 0;
  let chars = 0;
  for (const raw of texts) {
    const line = (raw ?? '').replace(/\s+/g, ' ').trim();
    if (line === '' || seen.has(line)) continue;
    seen.add(line);
    lines.push(line);
    kept += 1;
    chars += line.length;
  }
  report[name] = { documents: texts.length, kept, characters: chars };
}

mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
const tmp = `${values.out}.tmp-${process.pid}`;
writeFileSync(tmp, `${lines.join('\n')}\n`);
renameSync(tmp, values.out); // atomic: a half-written corpus never replaces a whole one
const words = lines.reduce((n, l) => n + l.split(' ').length, 0);
console.log(JSON.stringify({ out: values.out, lines: lines.length, words, sources: report }, null, 2));
