export { registerNativeBackend, nativeThreads, NATIVE_BACKEND, type NativeBackendOptions, type NativeBackendInfo } from './register-backend.js';
export { loadNativeAddon, nativeUnavailableReason, nativePackageVersion, NATIVE_BUILD_HINT, type NativeAddon } from './addon.js';
export { configureThreads, THREAD_ENV_VARS, type ThreadChoice } from './threads.js';
export { reductionBlock } from './kernels/reduce.js';
