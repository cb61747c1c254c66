// Backend choice where there is no WebGPU and no WebGL (Node: no navigator.gpu, no canvas):
// the default order lands on wasm, `prefer` is strict unless allowFallback, fallbacks are
// announced. A fake navigator.gpu checks the WebGPU probe's report and a failing activation.
import * as tf from '@tensorflow/tfjs-core';
import { backendProviders, MaxPoolBertError } from '@maxpoolbert/core';
import { errorOf } from '../../../testing/test-utils';
import { probeWebBackends, useWebBackend } from '../src/index';

const BUILT_IN = { webgpu: 10, webgl: 20, wasm: 30, cpu: 40 };

type Nav = { gpu?: unknown };
const g = globalThis as { navigator?: Nav };
function withNavigator(nav: Nav | undefined): void {
  Object.defineProperty(globalThis, 'navigator', { value: nav, configurable: true, writable: true });
}
const originalNavigator = g.navigator;
afterEach(() => withNavigator(originalNavigator));

it('registers webgpu, webgl, wasm and cpu on import, in that order', () => {
  expect(Object.fromEntries(backendProviders.names().map((n) => [n, backendProviders.get(n).priority]))).toEqual(BUILT_IN);
});

it('probes without starting anything: no WebGPU or WebGL here, wasm is the default choice', async () => {
  const before = tf.engine().backendName;
  const reports = await probeWebBackends();
  expect(reports.map((r) => [r.name, r.available, r.defaultChoice])).toEqual([
    ['webgpu', false, false],
    ['webgl', false, false],
    ['wasm', true, true],
    ['cpu', true, false],
  ]);
  expect(reports[0].detail).toMatch(/no navigator\.gpu/);
  expect(reports[1].detail).toMatch(/no canvas/);
  expect(reports[2].detail).toMatch(/^WebAssembly SIMD, threads off \(the page is not cross-origin isolated\)$/);
  expect(tf.engine().backendName).toBe(before);
});

it('picks wasm by default here and reports it, announcing nothing (no GPU is normal)', async () => {
  const log = jest.fn();
  const info = await useWebBackend({ log });
  expect(info).toMatchObject({ name: 'wasm', tfBackend: 'wasm', device: 'CPU (WebAssembly SIMD, 1 thread)' });
  expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(tf.getBackend()).toBe('wasm');
  expect(log).not.toHaveBeenCalled();
  // The kernels core adds are in place (wasm's BatchMatMul is wrapped, UnsortedSegmentSum added).
  expect(tf.getKernel(tf.UnsortedSegmentSum, 'wasm')).toBeDefined();
});

it('prefer: "cpu" gives the JS cpu backend', async () => {
  const info = await useWebBackend({ prefer: 'cpu' });
  expect(info).toMatchObject({ name: 'cpu', tfBackend: 'cpu', device: 'CPU (JavaScript)' });
  expect(info.version).toBe(tf.version_core);
  expect(tf.getBackend()).toBe('cpu');
});

it('"auto" means the default order', async () => {
  await useWebBackend({ prefer: 'cpu' });
  expect((await useWebBackend({ prefer: 'auto', log: jest.fn() })).name).toBe('wasm');
});

it('prefer: "webgpu" without allowFallback fails clearly and leaves the backend alone', async () => {
  await useWebBackend({ prefer: 'cpu' });
  const log = jest.fn();
  const err = await errorOf(() => useWebBackend({ prefer: 'webgpu', log }));
  expect(err).toBeInstanceOf(MaxPoolBertError);
  expect(err.message).toMatch(/^could not start webgpu: webgpu: no navigator\.gpu: this browser or runtime has no WebGPU/);
  expect(err.message).toMatch(/pass allowFallback: true/);
  expect(err.message).not.toMatch(/wasm/);
  expect(tf.getBackend()).toBe('cpu');
  expect(log).not.toHaveBeenCalled();
});

it('prefer: ["webgpu", "webgl"] with allowFallback falls back to wasm and says why', async () => {
  const log = jest.fn();
  const info = await useWebBackend({ prefer: ['webgpu', 'webgl'], allowFallback: true, log });
  expect(info.name).toBe('wasm');
  expect(log).toHaveBeenCalledTimes(1);
  const notice = log.mock.calls[0][0] as string;
  expect(notice).toMatch(/^note: falling back to the wasm backend \(webgpu: no navigator\.gpu.*; webgl: no canvas/);
});

it('an unknown name fails listing the registered backends', async () => {
  const err = await errorOf(() => useWebBackend({ prefer: 'cuda' }));
  expect(err).toBeInstanceOf(MaxPoolBertError);
  for (const name of Object.keys(BUILT_IN)) expect(err.message).toContain(name);
});

describe('with a (fake) navigator.gpu', () => {
  it('reports when there is no adapter', async () => {
    withNavigator({ gpu: { requestAdapter: async () => null } });
    const [webgpu] = await probeWebBackends();
    expect(webgpu).toMatchObject({ name: 'webgpu', available: false });
    expect(webgpu.detail).toMatch(/found no adapter/);
  });

  it('describes the adapter the browser offers', async () => {
    const adapter = { info: { vendor: 'google', architecture: 'swiftshader', device: '', description: '' }, isFallbackAdapter: false };
    withNavigator({ gpu: { requestAdapter: async () => adapter } });
    const [webgpu] = await probeWebBackends();
    expect(webgpu).toMatchObject({ name: 'webgpu', available: true, defaultChoice: true, detail: 'WebGPU: google swiftshader' });
  });

  it('falls back (announced) when the WebGPU device cannot be created, and removes the broken backend', async () => {
    const adapter = {
      info: { vendor: 'acme', architecture: 'test' },
      features: new Set<string>(),
      limits: {},
      requestDevice: async () => {
        throw new Error('device lost');
      },
    };
    withNavigator({ gpu: { requestAdapter: async () => adapter } });
    const log = jest.fn();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined); // tfjs's own init warning
    try {
      const info = await useWebBackend({ log });
      expect(info.name).toBe('wasm');
      expect(log).toHaveBeenCalledTimes(1);
      expect(log.mock.calls[0][0]).toMatch(/^note: falling back to the wasm backend \(webgpu: the tfjs webgpu backend failed to initialise/);
      expect(tf.findBackendFactory('webgpu')).toBeNull();
    } finally {
      warn.mockRestore();
    }
  });
});
