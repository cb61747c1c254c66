/**
 * Whether onnxruntime-node loads here. It is a devDependency, so outside CI a machine without it
 * (or without its native library) skips the onnxruntime tests, saying why; in CI (`npm ci`
 * installs it) that is a failure.
 */
function onnxruntimeMissingReason(): string | null {
  try {
    require('onnxruntime-node');
    return null;
  } catch (err) {
    const reason = `onnxruntime-node cannot be loaded (${(err as Error).message.split('\n')[0]})`;
    if (process.env.CI) throw new Error(`${reason}: CI must run the onnxruntime reference tests`);
    console.warn(`skipping the onnxruntime reference tests: ${reason}`);
    return reason;
  }
}

/** `describe` where onnxruntime-node loads, `describe.skip` (with a printed reason) elsewhere. */
export const describeOnnxruntime: jest.Describe = onnxruntimeMissingReason() === null ? describe : describe.skip;
