import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { MaxPoolBertError } from '@maxpoolbert/core';
import { nativeUnavailableReason } from '@maxpoolbert/backend-native';
import { CUDA_SETUP_HINT, probeNodeBackends, useNodeBackend } from '../src/index';
import { rejection } from './rejection';

/**
 * The native providers, checked at their module boundary. @tensorflow/tfjs-node(-gpu) cannot be
 * installed here (their installers download libtensorflow), so `optional-module` is mocked: the
 * package "is installed", and "loading" it registers a fake tfjs backend named "tensorflow" (as
 * the real packages do, at priority 3) whose `isUsingGpuDevice` the test controls.
 */
/** Where tfjs-node-gpu cannot start, the default order goes on to our native backend (when built) or WASM. */
const CPU_DEFAULT = nativeUnavailableReason() ? 'wasm' : 'native';

const mockState = {
  installed: new Set<string>(),
  usingGpu: false,
  loads: [] as string[],
};

jest.mock('../src/optional-module', () => {
  const actual = jest.requireActual('../src/optional-module');
  return {
    ...actual,
    isInstalled: (name: string) => mockState.installed.has(name) || actual.isInstalled(name),
    installedVersion: (name: string) => (mockState.installed.has(name) ? '4.22.0-fake' : actual.installedVersion(name)),
    loadOptional: async (name: string, hint: string) => {
      if (!mockState.installed.has(name)) return actual.loadOptional(name, hint);
      mockState.loads.push(name);
      const tfc = jest.requireActual('@tensorflow/tfjs-core');
      const { MathBackendCPU: CpuBackend } = jest.requireActual('@tensorflow/tfjs-backend-cpu');
      if (!tfc.findBackendFactory('tensorflow')) {
        tfc.registerBackend(
          'tensorflow',
          () => {
            const backend = new CpuBackend();
            backend.isUsingGpuDevice = mockState.usingGpu;
            backend.isGPUPackage = name.endsWith('-gpu');
            return backend;
          },
          3,
        );
      }
      return {};
    },
  };
});

const GPU_PKG = '@tensorflow/tfjs-node-gpu';
const CPU_PKG = '@tensorflow/tfjs-node';

function removeFakeBackend(): void {
  if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
  if (tf.getKernel(tf.UnsortedSegmentSum, 'tensorflow')) tf.unregisterKernel(tf.UnsortedSegmentSum, 'tensorflow');
}

beforeEach(() => {
  mockState.installed.clear();
  mockState.usingGpu = false;
  mockState.loads = [];
});
afterEach(removeFakeBackend);


it('probes through the mocked module boundary without loading anything', async () => {
  expect((await probeNodeBackends()).find((r) => r.name === 'tfjs-node-gpu')?.available).toBe(false);
  mockState.installed.add(GPU_PKG);
  const report = (await probeNodeBackends()).find((r) => r.name === 'tfjs-node-gpu');
  expect(report).toMatchObject({ available: true, defaultChoice: true });
  expect(report?.detail).toContain('4.22.0-fake');
  expect(report?.detail).toMatch(/CUDA checked when activated/);
  expect(mockState.loads).toEqual([]); // probing loads nothing
});

describe('tfjs-node-gpu without a usable CUDA GPU', () => {
  beforeEach(() => {
    mockState.installed.add(GPU_PKG);
    mockState.usingGpu = false;
  });

  it('fails loudly with the CUDA 11.2 / cuDNN 8.1 hint when asked for by name', async () => {
    const log = jest.fn();
    const err = await rejection(useNodeBackend({ prefer: 'tfjs-node-gpu', log }));
    expect(mockState.loads).toEqual([GPU_PKG]);
    expect(err).toBeInstanceOf(MaxPoolBertError);
    expect(err.message).toMatch(/found no usable CUDA GPU/);
    expect(err.message).toMatch(/silently run on the CPU/);
    expect(err.message).toContain('CUDA 11.2');
    expect(err.message).toContain('cuDNN 8.1');
    expect(err.message).toContain(CUDA_SETUP_HINT);
    expect(err.message).toMatch(/allowFallback/);
    expect(log).not.toHaveBeenCalled();
  });

  it('does not stay on the CPU-only "tensorflow" backend after failing (previous backend kept)', async () => {
    await useNodeBackend({ prefer: 'cpu' });
    await rejection(useNodeBackend({ prefer: 'tfjs-node-gpu' }));
    expect(tf.getBackend()).toBe('cpu');
  });

  it('does not leave the CPU-only "tensorflow" backend for tfjs to pick up on its own', async () => {
    // As in a fresh process: no backend chosen yet, so tfjs would pick the highest priority one.
    const engine = tf.engine() as unknown as { backendName: string | null; backendInstance: unknown };
    await useNodeBackend({ prefer: 'cpu' });
    engine.backendName = null;
    engine.backendInstance = null;
    await rejection(useNodeBackend({ prefer: 'tfjs-node-gpu' }));
    expect(tf.getBackend()).not.toBe('tensorflow');
  });

  it(`with allowFallback, falls back to ${CPU_DEFAULT} and logs why`, async () => {
    const log = jest.fn();
    const info = await useNodeBackend({ prefer: 'tfjs-node-gpu', allowFallback: true, log });
    expect(info.name).toBe(CPU_DEFAULT);
    expect(tf.getBackend()).toBe(CPU_DEFAULT);
    expect(log).toHaveBeenCalledTimes(1);
    const notice = log.mock.calls[0][0] as string;
    expect(notice).toMatch(new RegExp(`falling back to the ${CPU_DEFAULT} backend`));
    expect(notice).toMatch(/tfjs-node-gpu: .*found no usable CUDA GPU/);
    expect(notice).toContain('CUDA 11.2');
  });

  it(`in the default order, moves on to ${CPU_DEFAULT} and says why (no silent fallback)`, async () => {
    const log = jest.fn();
    const info = await useNodeBackend({ log });
    expect(mockState.loads).toEqual([GPU_PKG]);
    expect(info.name).toBe(CPU_DEFAULT);
    expect(tf.getBackend()).toBe(CPU_DEFAULT);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toMatch(new RegExp(`falling back to the ${CPU_DEFAULT} backend .*tfjs-node-gpu: .*found no usable CUDA GPU`));
  });
});

describe('tfjs-node-gpu with a CUDA GPU', () => {
  beforeEach(() => {
    mockState.installed.add(GPU_PKG);
    mockState.usingGpu = true;
  });

  it('is chosen by name and reports the CUDA GPU', async () => {
    const log = jest.fn();
    const info = await useNodeBackend({ prefer: 'tfjs-node-gpu', log });
    expect(info).toEqual({ name: 'tfjs-node-gpu', tfBackend: 'tensorflow', device: 'CUDA GPU', version: '4.22.0-fake' });
    expect(tf.getBackend()).toBe('tensorflow');
    expect(tf.backend()).toBeInstanceOf(MathBackendCPU); // the fake, not a real libtensorflow
    expect((tf.backend() as unknown as { isUsingGpuDevice: boolean }).isUsingGpuDevice).toBe(true);
    expect(log).not.toHaveBeenCalled();
  });

  it('is the default choice, ahead of native and wasm', async () => {
    const info = await useNodeBackend({ log: jest.fn() });
    expect(info).toMatchObject({ name: 'tfjs-node-gpu', tfBackend: 'tensorflow', device: 'CUDA GPU' });
    expect(mockState.loads).toEqual([GPU_PKG]);
  });

  it('gets core\'s host kernels on the "tensorflow" backend', async () => {
    await useNodeBackend({ prefer: 'tfjs-node-gpu' });
    expect(tf.getKernel(tf.UnsortedSegmentSum, 'tensorflow')).toBeDefined();
  });
});

describe('tfjs-node (native CPU)', () => {
  beforeEach(() => {
    mockState.installed.add(CPU_PKG);
  });

  it('is chosen by name and reports the native CPU', async () => {
    const info = await useNodeBackend({ prefer: 'tfjs-node' });
    expect(info).toEqual({ name: 'tfjs-node', tfBackend: 'tensorflow', device: 'native CPU (libtensorflow)', version: '4.22.0-fake' });
    expect(info.device).toMatch(/native CPU/);
    expect(tf.getBackend()).toBe('tensorflow');
    expect(mockState.loads).toEqual([CPU_PKG]);
  });

  it('needs no GPU: accepted although isUsingGpuDevice is false, and is the default choice over native and wasm', async () => {
    mockState.usingGpu = false;
    const info = await useNodeBackend({ log: jest.fn() });
    expect(info.name).toBe('tfjs-node');
    const reports = await probeNodeBackends();
    expect(reports.filter((r) => r.defaultChoice).map((r) => r.name)).toEqual(['tfjs-node']);
  });

  it('when both are installed but CUDA is missing, the default order lands on tfjs-node, announced', async () => {
    mockState.installed.add(GPU_PKG);
    mockState.usingGpu = false;
    const log = jest.fn();
    const info = await useNodeBackend({ log });
    expect(info).toMatchObject({ name: 'tfjs-node', device: 'native CPU (libtensorflow)' });
    expect(tf.getBackend()).toBe('tensorflow');
    expect(log.mock.calls[0][0]).toMatch(/falling back to the tfjs-node backend .*found no usable CUDA GPU/);
  });

  it('a failed tfjs-node-gpu attempt leaves an already running tfjs-node backend and its tensors alone', async () => {
    mockState.installed.add(GPU_PKG);
    mockState.usingGpu = false;
    await useNodeBackend({ prefer: 'tfjs-node' });
    const t = tf.tensor1d([1, 2, 3]);
    const err = await rejection(useNodeBackend({ prefer: 'tfjs-node-gpu' }));
    expect(err.message).toMatch(/found no usable CUDA GPU/);
    expect(tf.getBackend()).toBe('tensorflow');
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3]);
    t.dispose();
  });
});
