import * as tf from '@tensorflow/tfjs-core';
import type { ActivateOptions, BackendInfo, BackendProvider } from '@maxpoolbert/core';
import { isInstalled } from '../optional-module.js';

const PACKAGE = '@maxpoolbert/backend-native';
type NativeModule = typeof import('@maxpoolbert/backend-native');

async function loadNative(): Promise<NativeModule | null> {
  return isInstalled(PACKAGE) ? ((await import(PACKAGE)) as NativeModule) : null;
}

/**
 * The native CPU backend (`@maxpoolbert/backend-native`): tfjs-backend-wasm with its heavy kernels
 * run by oneDNN and multi-threaded C++ on every core. Chosen before WASM whenever its addon
 * loads; where it was not built, `info` says why and how to get it.
 */
export const nativeProvider: BackendProvider = {
  name: 'native',
  priority: 25,
  async probe() {
    const native = await loadNative();
    if (!native) return { available: false, detail: `${PACKAGE} is not installed (npm install ${PACKAGE}; it builds against libdnnl-dev)` };
    const reason = native.nativeUnavailableReason();
    if (reason) return { available: false, detail: reason };
    const lib = native.loadNativeAddon()!.libraryInfo();
    return { available: true, detail: `${lib.library} (${lib.cpuRuntime}), ${lib.cores} cores` };
  },
  async activate(opts: ActivateOptions = {}): Promise<BackendInfo> {
    const native = await loadNative();
    if (!native) throw new Error(`${PACKAGE} is not installed`);
    const info = await native.registerNativeBackend({ threads: opts.threads });
    if (info.note) process.stderr.write(`note: ${info.note}\n`);
    if (!(await tf.setBackend(native.NATIVE_BACKEND))) throw new Error('the native backend failed to initialise');
    await tf.ready();
    return {
      name: 'native',
      tfBackend: native.NATIVE_BACKEND,
      device: `CPU (${info.library}, ${info.threads} thread${info.threads === 1 ? '' : 's'}${info.source === 'environment' ? ' from OMP_NUM_THREADS' : ''})`,
      version: native.nativePackageVersion(),
      threads: info.threads,
    };
  },
};
