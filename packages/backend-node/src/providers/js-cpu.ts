import * as tf from '@tensorflow/tfjs-core';
import { ensureKernels, type BackendProvider } from '@maxpoolbert/core';
import { installedVersion } from '../optional-module.js';

/** The pure-JavaScript CPU backend: always available, slowest; the last resort. */
export const jsCpuProvider: BackendProvider = {
  name: 'cpu',
  priority: 40,
  async probe() {
    return { available: true, detail: 'pure JavaScript, always available' };
  },
  async activate() {
    await import('@tensorflow/tfjs-backend-cpu');
    if (!(await tf.setBackend('cpu'))) throw new Error('the tfjs cpu backend failed to initialise');
    await tf.ready();
    ensureKernels('cpu');
    return { name: 'cpu', tfBackend: 'cpu', device: 'CPU (JavaScript)', version: installedVersion('@tensorflow/tfjs-backend-cpu') };
  },
};
