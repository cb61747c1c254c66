import * as tf from '@tensorflow/tfjs-core';
import { errorMessage } from '@maxpoolbert/core';

/**
 * Selects a tfjs backend its package has just registered. When that fails, the backend is
 * removed again (unless it was already in use), so tfjs never picks a broken GPU backend by
 * priority later, and the message says which package and what to check.
 */
export async function selectRegisteredBackend(tfBackend: string, pkg: string, hint: string): Promise<void> {
  if (!tf.findBackendFactory(tfBackend)) {
    throw new Error(`${pkg} loaded but did not register the "${tfBackend}" backend: ${hint}`);
  }
  const previous = (tf.engine().backendName as string | null) ?? null;
  let ok = false;
  let reason = '';
  try {
    ok = await tf.setBackend(tfBackend);
  } catch (err) {
    reason = ` (${errorMessage(err)})`;
  }
  if (!ok) {
    if (previous !== tfBackend && tf.findBackendFactory(tfBackend)) {
      tf.removeBackend(tfBackend);
      if (previous && tf.findBackendFactory(previous)) await tf.setBackend(previous);
    }
    throw new Error(`the tfjs ${tfBackend} backend failed to initialise${reason}: ${hint}`);
  }
  await tf.ready();
}
