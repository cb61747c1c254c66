import * as tf from '@tensorflow/tfjs-core';
import { ensureKernels, type BackendInfo, type BackendProvider } from '@maxpoolbert/core';
import { installedVersion, isInstalled, loadOptional } from '../optional-module.js';

/** The part of tfjs-node's backend object we read to learn where it really runs. */
interface NodeKernelBackend {
  isUsingGpuDevice?: boolean;
  isGPUPackage?: boolean;
}

export const CUDA_SETUP_HINT =
  'tfjs-node-gpu 4.x needs CUDA 11.2 and cuDNN 8.1 on LD_LIBRARY_PATH (e.g. /usr/local/cuda-11.2/lib64) and an NVIDIA driver >= 450; ' +
  'see the backend-node README';

/**
 * A native TensorFlow backend: `@tensorflow/tfjs-node-gpu` (CUDA) or `@tensorflow/tfjs-node`
 * (native CPU). Both are optional peer dependencies: their installers download libtensorflow,
 * so they are loaded only when chosen.
 */
function nativeProvider(pkg: '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu', priority: number): BackendProvider {
  const gpu = pkg.endsWith('-gpu');
  const name = gpu ? 'tfjs-node-gpu' : 'tfjs-node';
  const installHint = `npm install ${pkg}@${tf.version_core} (its installer downloads libtensorflow${gpu ? '; ' + CUDA_SETUP_HINT : ''})`;
  return {
    name,
    priority,
    async probe() {
      return isInstalled(pkg)
        ? { available: true, detail: `${pkg} ${installedVersion(pkg)} installed${gpu ? ' (CUDA checked when activated)' : ''}` }
        : { available: false, detail: `not installed: ${installHint}` };
    },
    async activate(): Promise<BackendInfo> {
      await loadOptional(pkg, installHint);
      const previous = (tf.engine().backendName as string | null) ?? null;
      if (!(await tf.setBackend('tensorflow'))) throw new Error(`${pkg} loaded but its "tensorflow" backend failed to initialise`);
      await tf.ready();
      const backend = tf.backend() as unknown as NodeKernelBackend;
      // tfjs-node-gpu quietly runs on the CPU when the CUDA libraries are missing: check.
      if (gpu && backend.isUsingGpuDevice !== true) {
        // Don't leave tfjs on that CPU-only backend, nor let it pick the backend by priority later
        // (unless it was already in use before this call).
        if (previous !== 'tensorflow') {
          tf.removeBackend('tensorflow');
          if (previous && tf.findBackendFactory(previous)) await tf.setBackend(previous);
        }
        throw new Error(`${pkg} is installed but found no usable CUDA GPU, so it would silently run on the CPU. ${CUDA_SETUP_HINT}`);
      }
      ensureKernels('tensorflow');
      return { name, tfBackend: 'tensorflow', device: gpu ? 'CUDA GPU' : 'native CPU (libtensorflow)', version: installedVersion(pkg) };
    },
  };
}

export const tfjsNodeGpuProvider = nativeProvider('@tensorflow/tfjs-node-gpu', 10);
export const tfjsNodeProvider = nativeProvider('@tensorflow/tfjs-node', 20);
