import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from './run-cli';
import { COMMANDS } from '../src/commands';
import { itNative } from './native-available';

/** Where tfjs-node-gpu is installed the "not installed" case cannot happen; CI never has it. */
const gpuPackageInstalled = (() => {
  try {
    require.resolve('@tensorflow/tfjs-node-gpu');
    return true;
  } catch {
    return false;
  }
})();

describe('maxpoolbert info, help and usage errors', () => {
  it('info lists every backend with a probe result and the chosen one', async () => {
    const r = await cli('info', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.backends.map((b: { name: string }) => b.name)).toEqual(expect.arrayContaining(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']));
    for (const b of report.backends) expect(typeof b.available).toBe('boolean');
    expect(report.backends.filter((b: { defaultChoice: boolean }) => b.defaultChoice)).toHaveLength(1);
    const chosen = report.backends.find((b: { defaultChoice: boolean }) => b.defaultChoice).name;
    expect(report.chosen.name).toBe(chosen);
    expect(report.versions['@tensorflow/tfjs-core']).toMatch(/^4\./);
  });

  it('info --backend cpu chooses the JS CPU backend', async () => {
    const r = await cli('info', '--backend', 'cpu');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Chosen backend: cpu/);
  });

  (gpuPackageInstalled ? it.skip : it)('info fails with a reason for a backend that is not installed', async () => {
    const r = await cli('info', '--backend', 'tfjs-node-gpu');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/tfjs-node-gpu.*not installed.*npm install @tensorflow\/tfjs-node-gpu/);
  });

  it.each(COMMANDS.map((c) => c.name))('%s --help describes every option', async (name) => {
    const r = await cli(name, '--help');
    expect(r.code).toBe(0);
    const cmd = COMMANDS.find((c) => c.name === name)!;
    for (const option of Object.keys(cmd.options)) expect(r.stdout).toContain(`--${option}`);
  });

  it('usage errors exit 2 with one line', async () => {
    for (const argv of [['frobnicate'], ['tokenize', '--input', 'x'], ['embed', '--bogus'], ['inspect'], []]) {
      const r = await cli(...argv);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
    }
    expect((await cli('tokenize', '--input', 'x')).stderr).toBe('maxpoolbert tokenize: error: tokenize: --model is required (see maxpoolbert tokenize --help)\n');
  });

  it('--require loads a plugin first, so its head is usable by name', async () => {
    const example = path.resolve(__dirname, '..', '..', 'heads', 'examples', 'scalar-mix-head.ts');
    const r = await cli('info', '--require', example, '--json', '--backend', 'cpu');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).heads).toContain('scalar-mix');
    const missing = await cli('--require', './no-such-plugin.js', 'info');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^maxpoolbert: error: --require \.\/no-such-plugin\.js: could not load it/);
  });

  it('the installed bin runs from the built package', () => {
    const bin = path.resolve(__dirname, '..', 'bin', 'maxpoolbert.js');
    expect(fs.existsSync(path.resolve(__dirname, '..', 'dist', 'main.js'))).toBe(true);
    const r = spawnSync(process.execPath, [bin, 'info', '--backend', 'cpu'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Chosen backend: cpu/);
    const bad = spawnSync(process.execPath, [bin, 'inspect', '/definitely/not/here'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe('maxpoolbert inspect: error: /definitely/not/here: model folder does not exist (pass --model with a Hugging Face model folder, or create one with `maxpoolbert init`)\n');
  });

  itNative('info chooses the native backend here, with its threads, and says in one line why it is missing where it is', () => {
    const bin = path.resolve(__dirname, '..', 'bin', 'maxpoolbert.js');
    const env = { ...process.env };
    delete env.OMP_NUM_THREADS;
    const on = spawnSync(process.execPath, [bin, 'info', '--threads', '1'], { encoding: 'utf8', env });
    expect(on.status).toBe(0);
    expect(on.stdout).toMatch(/^ {2}native +yes +oneDNN \d+\.\d+\.\d+ \(OpenMP\), \d+ cores \[default\]$/m);
    expect(on.stdout).toMatch(/Chosen backend: native — CPU \(oneDNN \d+\.\d+\.\d+, 1 thread\)/);
    const off = spawnSync(process.execPath, [bin, 'info'], { encoding: 'utf8', env: { ...env, MAXPOOLBERT_NATIVE: 'off' } });
    expect(off.status).toBe(0);
    expect(off.stdout).toMatch(/^ {2}native +no +turned off by MAXPOOLBERT_NATIVE=off$/m);
    expect(off.stdout).toMatch(/Chosen backend: wasm/);
  });
});
