import * as tf from '@tensorflow/tfjs-core';
import { ensureKernels, errorMessage, type BackendProbe, type BackendProvider } from '@maxpoolbert/core';
import { selectRegisteredBackend } from './activate.js';

/** The parts of the WebGPU API we touch (the DOM lib of TypeScript 5.9 has no WebGPU types). */
interface GpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}
interface GpuAdapter {
  info?: GpuAdapterInfo;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<GpuAdapterInfo>;
}
interface Gpu {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<GpuAdapter | null>;
}

function gpu(): Gpu | undefined {
  return (globalThis as { navigator?: { gpu?: Gpu } }).navigator?.gpu;
}

/** "google swiftshader", "nvidia ampere", ... from whatever the adapter tells. */
export function describeAdapter(info: GpuAdapterInfo | undefined, fallback = false): string {
  const parts = [info?.vendor, info?.architecture, info?.device, info?.description]
    .filter((p): p is string => typeof p === 'string' && p.trim() !== '')
    .map((p) => p.trim());
  const unique = parts.filter((p, i) => parts.indexOf(p) === i);
  const text = unique.length ? unique.join(' ') : 'adapter details hidden by the browser';
  return fallback ? `${text}, software fallback adapter` : text;
}

async function adapterInfo(adapter: GpuAdapter): Promise<GpuAdapterInfo | undefined> {
  if (adapter.info) return adapter.info;
  try {
    return await adapter.requestAdapterInfo?.();
  } catch {
    return undefined;
  }
}

/** Rejects after `ms`: some drivers never answer requestAdapter, and a probe must not hang. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
    promise.then(
      (v) => { clearTimeout(timer); resolve(v); },
      (e) => { clearTimeout(timer); reject(e); },
    );
  });
}

const HINT = 'WebGPU needs a recent Chrome/Edge (or Firefox/Safari with WebGPU on), a secure context (https or localhost) and a GPU the browser allows';

/** tfjs's WebGPU backend: the fastest in browsers that have WebGPU. */
export const webgpuProvider: BackendProvider = {
  name: 'webgpu',
  priority: 10,
  async probe(): Promise<BackendProbe> {
    const g = gpu();
    if (!g) {
      const secure = (globalThis as { isSecureContext?: boolean }).isSecureContext;
      return {
        available: false,
        detail: secure === false
          ? 'no navigator.gpu: WebGPU needs a secure context (https or localhost)'
          : 'no navigator.gpu: this browser or runtime has no WebGPU',
      };
    }
    try {
      const adapter = await within(g.requestAdapter({ powerPreference: 'high-performance' }), 10_000, 'navigator.gpu.requestAdapter()');
      if (!adapter) return { available: false, detail: 'navigator.gpu found no adapter (the GPU is blocklisted or WebGPU is disabled)' };
      return { available: true, detail: `WebGPU: ${describeAdapter(await adapterInfo(adapter), adapter.isFallbackAdapter === true)}` };
    } catch (err) {
      return { available: false, detail: `navigator.gpu.requestAdapter() failed: ${errorMessage(err)}` };
    }
  },
  async activate() {
    const probe = await webgpuProvider.probe();
    if (!probe.available) throw new Error(`${probe.detail} (${HINT})`);
    // tfjs-backend-webgpu registers its backend on import, and only where navigator.gpu exists.
    await import('@tensorflow/tfjs-backend-webgpu');
    await selectRegisteredBackend('webgpu', '@tensorflow/tfjs-backend-webgpu', HINT);
    ensureKernels('webgpu');
    // The probe asked for the same adapter tfjs does (high-performance), with more detail than tfjs keeps.
    const adapter = probe.detail.replace(/^WebGPU: /, '');
    // tfjs-backend-webgpu exports no version of its own; it is released in lockstep with tfjs-core.
    return { name: 'webgpu', tfBackend: 'webgpu', device: `GPU (WebGPU: ${adapter})`, version: tf.version_core };
  },
};
