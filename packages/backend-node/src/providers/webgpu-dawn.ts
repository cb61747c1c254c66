import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { ensureKernels, type BackendInfo, type BackendProbe, type BackendProvider } from '@maxpoolbert/core';
import { installedVersion, isInstalled, loadOptional } from '../optional-module.js';

/** Vulkan's CPU implementation, as Debian's chromium package ships it. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

const PACKAGES = ['webgpu', '@tensorflow/tfjs-backend-webgpu'] as const;
const INSTALL_HINT = `npm install webgpu @tensorflow/tfjs-backend-webgpu@${tf.version_core}`;

/** The little of the WebGPU API we touch (its full types would be one more dependency). */
interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string };
}
interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

let gpu: GpuLike | null = null;

/**
 * Dawn (Chromium's WebGPU) as a Node addon, installed as `navigator.gpu` so tfjs's WebGPU
 * backend finds it as it would in a browser. Created once: each instance owns a Vulkan instance.
 */
async function dawnGpu(): Promise<GpuLike> {
  if (gpu) return gpu;
  const dawn = await loadOptional<DawnModule>('webgpu', INSTALL_HINT);
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  gpu = dawn.create([]);
  const nav = ((globalThis as { navigator?: object }).navigator ??= {}) as object;
  Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  return gpu;
}

function adapterDetail(adapter: GpuAdapterLike): string {
  const info = adapter.info;
  const parts = [info?.vendor, info?.architecture, info?.description].filter((p): p is string => !!p);
  return parts.length ? parts.join(' ') : 'adapter without a name';
}

function noAdapterHint(): string {
  const swiftshader = existsSync(SWIFTSHADER_ICD) && !process.env.VK_ICD_FILENAMES
    ? `; without a GPU, Vulkan's CPU driver works: VK_ICD_FILENAMES=${SWIFTSHADER_ICD}`
    : '';
  return `Dawn found no WebGPU adapter: it needs a Vulkan driver and libvulkan1 (apt-get install libvulkan1)${swiftshader}`;
}

/**
 * WebGPU in Node through Dawn (the `webgpu` npm package) and tfjs's WebGPU backend; both are
 * optional peer dependencies. Used only when asked for by name: on a machine with CUDA,
 * tfjs-node-gpu is faster, and without a GPU Dawn runs on SwiftShader, far slower than WASM.
 */
export const webgpuDawnProvider: BackendProvider = {
  name: 'webgpu',
  priority: 50,
  onRequestOnly: true,
  async probe(): Promise<BackendProbe> {
    const missing = PACKAGES.filter((p) => !isInstalled(p));
    if (missing.length) return { available: false, detail: `not installed: ${INSTALL_HINT}` };
    try {
      const adapter = await (await dawnGpu()).requestAdapter();
      return adapter ? { available: true, detail: `Dawn ${installedVersion('webgpu')}, ${adapterDetail(adapter)}` } : { available: false, detail: noAdapterHint() };
    } catch (err) {
      return { available: false, detail: `Dawn failed to start: ${(err as Error).message}` };
    }
  },
  async activate(): Promise<BackendInfo> {
    const adapter = await (await dawnGpu()).requestAdapter();
    if (!adapter) throw new Error(noAdapterHint());
    await loadOptional('@tensorflow/tfjs-backend-webgpu', INSTALL_HINT);
    if (!(await tf.setBackend('webgpu'))) throw new Error('the tfjs webgpu backend failed to initialise on Dawn');
    await tf.ready();
    ensureKernels('webgpu');
    return {
      name: 'webgpu',
      tfBackend: 'webgpu',
      device: `WebGPU (Dawn, ${adapterDetail(adapter)})`,
      version: installedVersion('@tensorflow/tfjs-backend-webgpu'),
    };
  },
};
