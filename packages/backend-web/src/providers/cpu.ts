import * as tf from '@tensorflow/tfjs-core';
import { ensureKernels, type BackendProvider } from '@maxpoolbert/core';

/** The pure-JavaScript CPU backend: always available, slowest; the last resort. */
export const cpuProvider: BackendProvider = {
  name: 'cpu',
  priority: 40,
  async probe() {
    return { available: true, detail: 'pure JavaScript, always available' };
  },
  async activate() {
    const { version_cpu } = await import('@tensorflow/tfjs-backend-cpu');
    if (!(await tf.setBackend('cpu'))) throw new Error('the tfjs cpu backend failed to initialise');
    await tf.ready();
    ensureKernels('cpu');
    return { name: 'cpu', tfBackend: 'cpu', device: 'CPU (JavaScript)', version: version_cpu };
  },
};
