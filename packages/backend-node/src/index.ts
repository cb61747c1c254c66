import { backendProviders, registerBackendProvider } from '@maxpoolbert/core';
import { jsCpuProvider } from './providers/js-cpu.js';
import { nativeProvider } from './providers/native.js';
import { tfjsNodeGpuProvider, tfjsNodeProvider } from './providers/tfjs-node.js';
import { wasmProvider } from './providers/wasm.js';
import { webgpuDawnProvider } from './providers/webgpu-dawn.js';

// Registering on import, like a tfjs backend package registers its kernels.
for (const provider of [tfjsNodeGpuProvider, tfjsNodeProvider, nativeProvider, wasmProvider, jsCpuProvider, webgpuDawnProvider]) {
  if (!backendProviders.has(provider.name)) registerBackendProvider(provider);
}

export { useNodeBackend, probeNodeBackends, type UseNodeBackendOptions, type BackendReport } from './use-node-backend.js';
export { FsModelSource } from './fs-model-source.js';
export { writeFileAtomic, writeFolderAtomic, recoverFolder, AtomicFileWriter, type AtomicWriteError } from './atomic-write.js';
export { CUDA_SETUP_HINT } from './providers/tfjs-node.js';
export { SWIFTSHADER_ICD } from './providers/webgpu-dawn.js';
