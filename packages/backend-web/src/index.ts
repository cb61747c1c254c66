/**
 * @maxpoolbert/backend-web — runs MaxPoolBERT in the browser: picks a tfjs backend (WebGPU,
 * WebGL, WASM, CPU), loads model folders from a URL (with progress and an IndexedDB cache) or
 * from picked files, and saves fine-tuned models as a zip download. No Node built-ins.
 */
import { backendProviders, registerBackendProvider } from '@maxpoolbert/core';
import { cpuProvider } from './providers/cpu.js';
import { wasmProvider } from './providers/wasm.js';
import { webglProvider } from './providers/webgl.js';
import { webgpuProvider } from './providers/webgpu.js';

// Registering on import, like a tfjs backend package registers its kernels. A name another
// backend package registered first (e.g. backend-node's "wasm" in a test) is left alone.
for (const provider of [webgpuProvider, webglProvider, wasmProvider, cpuProvider]) {
  if (!backendProviders.has(provider.name)) registerBackendProvider(provider);
}

export { useWebBackend, probeWebBackends, type UseWebBackendOptions, type WebBackendReport } from './use-web-backend.js';
export { UrlModelSource, type DownloadProgress, type UrlModelSourceOptions } from './url-model-source.js';
export { FileListModelSource } from './file-list-model-source.js';
export { ModelCache, type CachedFile } from './model-cache.js';
export { zipModelFolder, downloadModelFolder, type DownloadModelFolderOptions } from './download.js';
export { webgpuProvider, webglProvider, wasmProvider, cpuProvider };
