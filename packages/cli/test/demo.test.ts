import * as fs from 'node:fs';
import * as path from 'node:path';
import { emailText, spamSplit } from '../src/demo/spam-data';
import { cli, readJsonlFile, tempDir } from './run-cli';

describe('the demo data', () => {
  it('keeps the subject and body text of an e-mail, without headers or HTML', () => {
    const raw = [
      'Return-Path: <a@b.c>', 'Received: from x by y', 'Subject: Cheap meds', ' now available', 'Content-Type: text/html', '',
      '<html><style>p{color:red}</style><p>Buy&nbsp;<b>now</b>,</p>', 'soft=', 'break</html>',
    ].join('\n');
    expect(emailText(raw)).toBe('Cheap meds now available Buy now , softbreak');
    expect(emailText('no headers at all')).toBe('no headers at all');
    expect(emailText('Subject: x\n\n' + 'y'.repeat(2000), 50)).toHaveLength(50);
  });

  it('splits the SpamAssassin corpus into disjoint, stratified, seeded samples', () => {
    const a = spamSplit(100, 50, 0);
    const b = spamSplit(100, 50, 0);
    expect(a.corpusSize).toBe(6046);
    expect(a.train).toHaveLength(100);
    expect(a.dev).toHaveLength(50);
    expect(a).toEqual(b);
    const devTexts = new Set(a.dev.map((r) => r.text));
    expect(a.train.filter((r) => devTexts.has(r.text)).length).toBeLessThanOrEqual(1); // the corpus has a few duplicate mails
    // Every other e-mail with text is the unlabelled domain-adaptation text (by e-mail, not by
    // text: the corpus holds the same mail more than once, so texts alone cannot tell).
    const withText = spamSplit(0, 0, 0).unlabelled.length;
    expect(withText).toBeGreaterThan(6000);
    expect(a.unlabelled).toHaveLength(withText - 150);
    expect(a.unlabelled).not.toContain('');
    const spam = a.train.filter((r) => r.label === 'spam').length / a.train.length;
    expect(Math.abs(spam - a.spamShare)).toBeLessThan(0.02);
  });
});

describe('maxpoolbert demo', () => {
  it('runs the whole job on a tiny budget: model, data, runs, table and chart', async () => {
    const out = path.join(tempDir(), 'demo');
    const r = await cli('demo', '--out', out, '--heads', 'cls,max-seq-mha', '--seeds', '1', '--train-size', '32', '--dev-size', '16', '--pretrain-size', '30', '--parallel', '1', '--backend', 'wasm', '--quiet');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/built-in small BERT \(4 layers × 128, random initialisation/);
    expect(r.stdout).toMatch(/SpamAssassin e-mails \(6046 in the corpus, \d+% spam\): 32 train, 16 dev/);
    // The domain-adaptation step: masked-LM pre-training on unlabelled e-mails outside the split,
    // whose result (a BertForMaskedLM folder) the heads are then fine-tuned from.
    expect(r.stdout).toMatch(/Domain adaptation: masked-LM pre-training on 30 unlabelled e-mails \(1 epoch\)/);
    expect(r.stdout).toMatch(/validation perplexity \d+, \d+ steps in .*: .*pretrained\n/);
    const unlabelled = fs.readFileSync(path.join(out, 'data', 'unlabelled.txt'), 'utf8').trimEnd().split('\n');
    expect(unlabelled).toHaveLength(30);
    const labelledTexts = new Set([...readJsonlFile(path.join(out, 'data', 'train.jsonl')), ...readJsonlFile(path.join(out, 'data', 'dev.jsonl'))].map((row) => String(row.text)));
    expect(unlabelled.filter((t) => labelledTexts.has(t))).toEqual([]);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'pretrained', 'config.json'), 'utf8')).architectures).toEqual(['BertForMaskedLM']);
    const run = JSON.parse(fs.readFileSync(path.join(out, 'runs', 'cls', 'seed-1', 'results.json'), 'utf8'));
    expect(run.settings.model).toBe(path.join(out, 'pretrained'));
    expect(r.stdout).toMatch(/\ncls +1 +[01]\/1 +\d+\.\d\d ± 0\.00/);
    expect(r.stdout).toMatch(/\nmax-seq-mha +1 +[01]\/1 +\d+\.\d\d ± 0\.00/);
    expect(r.stdout).toMatch(/Wall time: /);
    expect(r.stdout).toContain(path.join(out, 'compare.svg'));
    expect(fs.readFileSync(path.join(out, 'compare.svg'), 'utf8')).toMatch(/^<svg[\s\S]*max-seq-mha[\s\S]*<\/svg>\s*$/);
    const train = readJsonlFile(path.join(out, 'data', 'train.jsonl'));
    expect(train).toHaveLength(32);
    expect(new Set(train.map((row) => row.label))).toEqual(new Set(['ham', 'spam']));
    const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
    expect(results.runs).toHaveLength(2);
    expect(results.title).toMatch(/^SpamAssassin spam vs ham/);
  });
});
