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
    const spam = a.train.filter((r) => r.label === 'spam').length / a.train.length;
    expect(Math.abs(spam - a.spamShare)).toBeLessThan(0.02);
  });
});

describe('maxpoolbert demo', () => {
  it('runs the whole job on a tiny budget: model, data, runs, table and chart', async () => {
    const out = path.join(tempDir(), 'demo');
    const r = await cli('demo', '--out', out, '--heads', 'cls,max-seq-mha', '--seeds', '1', '--train-size', '32', '--dev-size', '16', '--parallel', '1', '--backend', 'wasm', '--quiet');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/built-in small BERT \(4 layers × 128, random initialisation/);
    expect(r.stdout).toMatch(/SpamAssassin e-mails \(6046 in the corpus, \d+% spam\): 32 train, 16 dev/);
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
