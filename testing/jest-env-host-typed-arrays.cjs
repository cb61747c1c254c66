// A Jest Node environment whose typed arrays are the host's own, for tests of native addons
// that hand back typed arrays (onnxruntime-node's outputs). Jest runs each test file in a fresh
// V8 context with its own Float32Array etc., while an addon creates arrays in the host's main
// context: `output instanceof Float32Array` is then false inside the test, and onnxruntime's
// JS wrapper rejects its own results ("A float32 tensor's data must be type of function
// Float32Array()"). In plain Node there is one context and no such mismatch. Opt in per file:
//   /** @jest-environment ../../testing/jest-env-host-typed-arrays.cjs */  (relative to the package)
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

class HostTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) if (globalThis[name]) this.global[name] = globalThis[name];
  }
}

module.exports = HostTypedArraysEnvironment;
