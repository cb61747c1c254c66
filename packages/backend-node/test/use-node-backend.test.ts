import * as tf from '@tensorflow/tfjs-core';
import { backendProviders, MaxPoolBertError, registerBackendProvider, type BackendInfo, type BackendProvider } from '@maxpoolbert/core';
import { nativeUnavailableReason } from '@maxpoolbert/backend-native';
import { probeNodeBackends, useNodeBackend } from '../src/index';
import { isInstalled } from '../src/optional-module';
import { rejection } from './rejection';

/**
 * Backend choice on this machine, where neither @tensorflow/tfjs-node nor -gpu is installed, plus
 * fake providers (registered for one test each) for the ordering rules.
 */
const BUILT_IN = ['tfjs-node-gpu', 'tfjs-node', 'native', 'wasm', 'cpu', 'webgpu'];

/** The default CPU backend here: native where its addon is built (CI builds it), else WASM. */
const CPU_DEFAULT = nativeUnavailableReason() ? 'wasm' : 'native';


/**
 * The built-in cases assume what CI machines have: WASM, and neither native package (their
 * installers download libtensorflow). Where one is installed, they are skipped for that reason:
 * the default choice is then that package, which tfjs-node-gpu.test.ts covers with a mock.
 */
const nativeInstalled = isInstalled('@tensorflow/tfjs-node') || isInstalled('@tensorflow/tfjs-node-gpu');
const describeWithoutNative = nativeInstalled ? describe.skip : describe;

it('registers exactly the built-in providers on import', () => {
  expect(isInstalled('@tensorflow/tfjs-backend-wasm')).toBe(true);
  expect(backendProviders.names().sort()).toEqual([...BUILT_IN].sort());
});

describeWithoutNative('the built-in providers (no native tfjs installed)', () => {
  it(`picks ${CPU_DEFAULT} by default here, announcing nothing`, async () => {
    const log = jest.fn();
    const info = await useNodeBackend({ log });
    expect(info).toMatchObject({ name: CPU_DEFAULT, tfBackend: CPU_DEFAULT });
    expect(info.device).toMatch(CPU_DEFAULT === 'native' ? /^CPU \(oneDNN \d/ : /^CPU \(WebAssembly/);
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(tf.getBackend()).toBe(CPU_DEFAULT);
    expect(log).not.toHaveBeenCalled();
  });

  it('"auto" means the default order too', async () => {
    await useNodeBackend({ prefer: 'cpu' });
    const info = await useNodeBackend({ prefer: 'auto', log: jest.fn() });
    expect(info.name).toBe(CPU_DEFAULT);
    expect(tf.getBackend()).toBe(CPU_DEFAULT);
  });

  it('prefer: "wasm" gives WASM even where native is available', async () => {
    const info = await useNodeBackend({ prefer: 'wasm' });
    expect(info).toMatchObject({ name: 'wasm', tfBackend: 'wasm' });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('prefer: "cpu" gives the JS cpu backend', async () => {
    const info = await useNodeBackend({ prefer: 'cpu' });
    expect(info).toMatchObject({ name: 'cpu', tfBackend: 'cpu', device: 'CPU (JavaScript)' });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('an unknown name fails listing the registered backends', async () => {
    const err = await rejection(useNodeBackend({ prefer: 'cuda' }));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toContain('"cuda"');
    for (const name of BUILT_IN) expect(err.message).toContain(name);
  });

  it('prefer: "tfjs-node-gpu" without allowFallback fails saying how to install it', async () => {
    await useNodeBackend({ prefer: 'cpu' });
    const log = jest.fn();
    const err = await rejection(useNodeBackend({ prefer: 'tfjs-node-gpu', log }));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toMatch(/could not start tfjs-node-gpu/);
    expect(err.message).toMatch(/not installed/);
    expect(err.message).toContain(`npm install @tensorflow/tfjs-node-gpu@${tf.version_core}`);
    expect(err.message).toMatch(/CUDA 11\.2/);
    expect(err.message).toMatch(/allowFallback/);
    // Nothing else was tried: still on the backend from before.
    expect(err.message).not.toMatch(/wasm/);
    expect(tf.getBackend()).toBe('cpu');
    expect(log).not.toHaveBeenCalled();
  });

  it(`prefer: "tfjs-node-gpu" with allowFallback falls back to ${CPU_DEFAULT} and says why`, async () => {
    const log = jest.fn();
    const info = await useNodeBackend({ prefer: 'tfjs-node-gpu', allowFallback: true, log });
    expect(info.name).toBe(CPU_DEFAULT);
    expect(tf.getBackend()).toBe(CPU_DEFAULT);
    expect(log).toHaveBeenCalledTimes(1);
    const notice = log.mock.calls[0][0] as string;
    expect(notice).toMatch(new RegExp(`falling back to the ${CPU_DEFAULT} backend`));
    expect(notice).toMatch(/tfjs-node-gpu: not installed/);
    expect(notice).toContain('npm install @tensorflow/tfjs-node-gpu');
  });

  it('tries several preferred names in order', async () => {
    const info = await useNodeBackend({ prefer: ['tfjs-node', 'cpu'], allowFallback: true, log: jest.fn() });
    expect(info.name).toBe('cpu');
    const strict = await rejection(useNodeBackend({ prefer: ['tfjs-node-gpu', 'tfjs-node'] }));
    expect(strict.message).toMatch(/could not start tfjs-node-gpu, tfjs-node/);
    expect(strict.message).toContain('npm install @tensorflow/tfjs-node@');
  });

  it(`probeNodeBackends reports every built-in, with ${CPU_DEFAULT} as the default choice here`, async () => {
    const reports = await probeNodeBackends();
    expect(reports.map((r) => r.name)).toEqual(BUILT_IN);
    const byName = Object.fromEntries(reports.map((r) => [r.name, r]));
    expect(byName['tfjs-node-gpu']).toMatchObject({ available: false, defaultChoice: false, onRequestOnly: false });
    expect(byName['tfjs-node-gpu'].detail).toContain('npm install @tensorflow/tfjs-node-gpu');
    expect(byName['tfjs-node'].available).toBe(false);
    expect(byName['native']).toMatchObject({ available: CPU_DEFAULT === 'native', defaultChoice: CPU_DEFAULT === 'native' });
    expect(byName['wasm']).toMatchObject({ available: true, defaultChoice: CPU_DEFAULT === 'wasm' });
    expect(byName['cpu']).toMatchObject({ available: true, defaultChoice: false });
  });
});

describe('ordering rules, with fake providers', () => {
  const registered: string[] = [];
  let activations: string[];

  function fake(name: string, priority: number, opts: { available?: boolean; activateError?: string; onRequestOnly?: boolean } = {}): BackendProvider {
    const provider: BackendProvider = {
      name,
      priority,
      onRequestOnly: opts.onRequestOnly,
      async probe() {
        return opts.available === false ? { available: false, detail: `${name} is missing here` } : { available: true, detail: `${name} ok` };
      },
      async activate(): Promise<BackendInfo> {
        activations.push(name);
        if (opts.activateError) throw new Error(opts.activateError);
        return { name, tfBackend: 'fake', device: `fake device ${name}`, version: '0.0.0' };
      },
    };
    registerBackendProvider(provider, { override: true });
    registered.push(name);
    return provider;
  }

  beforeEach(() => {
    activations = [];
  });
  afterEach(() => {
    for (const name of registered.splice(0)) backendProviders.unregister(name);
    expect(backendProviders.names().sort()).toEqual([...BUILT_IN].sort());
  });

  it('walks providers by priority, lowest first, skipping unavailable ones', async () => {
    fake('fake-b', 2);
    fake('fake-a', 1, { available: false });
    fake('fake-c', 3);
    const log = jest.fn();
    expect((await useNodeBackend({ log })).name).toBe('fake-b');
    expect(activations).toEqual(['fake-b']);
    expect(log).not.toHaveBeenCalled();
  });

  it('a lower priority number wins regardless of registration order', async () => {
    fake('fake-late', 5);
    fake('fake-early', 4);
    expect((await useNodeBackend({ log: jest.fn() })).name).toBe('fake-early');
  });

  it('never picks an on-request-only provider by default, but does when it is named', async () => {
    fake('fake-webgpu', 0, { onRequestOnly: true });
    fake('fake-normal', 1);
    expect((await useNodeBackend({ log: jest.fn() })).name).toBe('fake-normal');
    expect(activations).toEqual(['fake-normal']);
    expect((await useNodeBackend({ prefer: 'fake-webgpu' })).name).toBe('fake-webgpu');
  });

  it('never falls back onto an on-request-only provider', async () => {
    fake('fake-webgpu', 0, { onRequestOnly: true });
    fake('fake-broken', 1, { activateError: 'no device' });
    const log = jest.fn();
    const info = await useNodeBackend({ prefer: 'fake-broken', allowFallback: true, log });
    expect(info.name).toBe(CPU_DEFAULT);
    expect(activations).toEqual(['fake-broken']);
    expect(log.mock.calls[0][0]).toMatch(new RegExp(`falling back to the ${CPU_DEFAULT} backend \\(fake-broken: no device`));
  });

  it('uses the next provider when one throws in activate (default order)', async () => {
    fake('fake-broken', 1, { activateError: 'driver exploded' });
    fake('fake-ok', 2);
    fake('fake-absent', 0, { available: false });
    const log = jest.fn();
    const info = await useNodeBackend({ log });
    expect(info.name).toBe('fake-ok');
    expect(activations).toEqual(['fake-broken', 'fake-ok']);
    // An installed backend that failed to start is announced even without `prefer`.
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toMatch(/falling back to the fake-ok backend \(.*fake-broken: driver exploded/);
  });

  it('a preferred provider that throws fails the call when strict, naming its error', async () => {
    fake('fake-broken', 1, { activateError: 'driver exploded' });
    fake('fake-ok', 2);
    const err = await rejection(useNodeBackend({ prefer: 'fake-broken' }));
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toMatch(/could not start fake-broken: fake-broken: driver exploded/);
    expect(err.message).toMatch(/allowFallback/);
    expect(activations).toEqual(['fake-broken']);
  });

  it('with allowFallback, a preferred provider that throws gives way to the default order, announced', async () => {
    fake('fake-broken', 10, { activateError: 'driver exploded' });
    fake('fake-ok', 2);
    const log = jest.fn();
    const info = await useNodeBackend({ prefer: 'fake-broken', allowFallback: true, log });
    expect(info.name).toBe('fake-ok');
    expect(activations).toEqual(['fake-broken', 'fake-ok']);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toMatch(/falling back to the fake-ok backend \(fake-broken: driver exploded\)/);
  });

  it('a preferred provider that works is used even when it comes late in the default order', async () => {
    fake('fake-first', 1);
    fake('fake-last', 99);
    const log = jest.fn();
    expect((await useNodeBackend({ prefer: 'fake-last', allowFallback: true, log })).name).toBe('fake-last');
    expect(activations).toEqual(['fake-last']);
    expect(log).not.toHaveBeenCalled();
  });

  it('fails listing every reason when nothing can start', async () => {
    fake('fake-x', 1, { available: false });
    fake('fake-y', 2, { activateError: 'y broke' });
    const err = await rejection(useNodeBackend({ prefer: ['fake-x', 'fake-y'] }));
    expect(err.message).toContain('could not start fake-x, fake-y');
    expect(err.message).toContain('fake-x: fake-x is missing here');
    expect(err.message).toContain('fake-y: y broke');
  });

  it('probeNodeBackends marks exactly one default choice: the first available provider that is not on-request-only', async () => {
    fake('fake-webgpu', 0, { onRequestOnly: true });
    fake('fake-missing', 1, { available: false });
    fake('fake-ok', 2);
    fake('fake-ok-too', 3);
    const reports = await probeNodeBackends();
    expect(reports.map((r) => r.name)).toEqual(['fake-webgpu', 'fake-missing', 'fake-ok', 'fake-ok-too', ...BUILT_IN]);
    expect(reports.filter((r) => r.defaultChoice).map((r) => r.name)).toEqual(['fake-ok']);
    expect(reports[0]).toMatchObject({ available: true, onRequestOnly: true, defaultChoice: false });
    expect(reports[1]).toMatchObject({ available: false, detail: 'fake-missing is missing here', defaultChoice: false });
    expect(activations).toEqual([]); // probing starts nothing
    // And it agrees with what useNodeBackend() picks.
    expect((await useNodeBackend({ log: jest.fn() })).name).toBe('fake-ok');
  });

  it('probeNodeBackends picks a built-in when every fake is unavailable or on-request-only', async () => {
    fake('fake-webgpu', 0, { onRequestOnly: true });
    fake('fake-missing', 1, { available: false });
    const reports = await probeNodeBackends();
    expect(reports.filter((r) => r.defaultChoice).map((r) => r.name)).toEqual([CPU_DEFAULT]);
  });
});

(nativeUnavailableReason() ? describe.skip : describe)('the native backend', () => {
  it('takes a thread count and reports it', async () => {
    const info = await useNodeBackend({ prefer: 'native', threads: 1 });
    expect(info).toMatchObject({ name: 'native', tfBackend: 'native', threads: 1 });
    expect(info.device).toMatch(/^CPU \(oneDNN \d+\.\d+\.\d+, 1 thread\)$/);
    const all = await useNodeBackend({ prefer: 'native' });
    expect(all.threads).toBeGreaterThanOrEqual(1);
  });

  it('probes as available, naming the library', async () => {
    const native = (await probeNodeBackends()).find((r) => r.name === 'native');
    expect(native).toMatchObject({ available: true, onRequestOnly: false });
    expect(native?.detail).toMatch(/^oneDNN \d+\.\d+\.\d+ \(OpenMP\), \d+ cores$/);
  });
});
