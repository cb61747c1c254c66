import type * as tf from '@tensorflow/tfjs-core';

interface WebGpuBackendLike {
  device?: { limits?: { maxStorageBuffersPerShaderStage?: number } };
  disposeData(dataId: object): void;
}

/**
 * Wraps tfjs-backend-webgpu's AddN so it never binds more storage buffers than the device allows.
 * Its AddN binds every input plus the output in one shader: with WebGPU's default limit of 8
 * storage buffers per stage, AddN of 8 or more tensors fails validation and yields garbage
 * (tfjs 4.22; e.g. 0 for the global gradient norm of BERT's ~200 gradients). The wrapper sums
 * at most (limit − 1) inputs per call, then sums the partial sums the same way.
 */
export function chunkedAddN(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const inputs = args.inputs as unknown as tf.TensorInfo[];
    const backend = args.backend as unknown as WebGpuBackendLike;
    const limit = backend.device?.limits?.maxStorageBuffersPerShaderStage ?? 8;
    const perCall = Math.max(2, limit - 1);
    if (inputs.length <= perCall) return original(args);
    const partials: tf.TensorInfo[] = [];
    try {
      for (let i = 0; i < inputs.length; i += perCall) {
        const chunk = inputs.slice(i, i + perCall);
        // A chunk of one is already its own sum; it is not ours to dispose, so mark it.
        partials.push(chunk.length === 1 ? chunk[0] : (original({ ...args, inputs: chunk as unknown as tf.NamedTensorInfoMap }) as tf.TensorInfo));
      }
      return chunkedAddN(original)({ ...args, inputs: partials as unknown as tf.NamedTensorInfoMap });
    } finally {
      for (const p of partials) if (!inputs.includes(p)) backend.disposeData(p.dataId);
    }
  };
}
