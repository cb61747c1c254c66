import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { nativeUnavailableReason } from '@maxpoolbert/backend-native';
import { SWIFTSHADER_ICD, useNodeBackend } from '../src/index';
import { backendSpecCases, runBackendSpec, type SpecResult } from '../../../testing/backend-spec/spec-cases';
import { HEADS_FIXTURE_NAMES, type SpecFixtures } from '../../../testing/backend-spec/spec-fixtures';
import { nodeSpecFixtures } from '../../../testing/backend-spec/node-fixtures';

/**
 * The shared backend spec (testing/backend-spec: tiny-bert goldens, the heads fixtures, 20
 * training steps) on every Node backend here: the JS CPU, WASM, native (oneDNN), and WebGPU through Dawn (on
 * SwiftShader, Vulkan's CPU driver, when the machine has no GPU). The same cases run in
 * Chromium in backend-web's tests.
 */

/**
 * Dawn needs a Vulkan driver: without a GPU, SwiftShader from Debian's chromium package (which
 * jest.preset.cjs points VK_ICD_FILENAMES at). Outside CI a machine without one skips WebGPU,
 * saying why; in CI (.ci/run installs it) that is a failure.
 */
function webgpuMissingReason(): string | null {
  if (process.env.VK_ICD_FILENAMES || fs.existsSync('/usr/share/vulkan/icd.d')) return null;
  const reason = `no Vulkan driver for Dawn (apt-get install chromium libvulkan1, or set VK_ICD_FILENAMES; see ${SWIFTSHADER_ICD})`;
  if (process.env.CI) throw new Error(`${reason}: CI must run the WebGPU spec`);
  console.warn(`skipping the WebGPU backend spec: ${reason}`);
  return reason;
}

/**
 * The native backend needs its addon built (g++ and libdnnl-dev, which .ci/run installs): a
 * machine without them skips it, saying why; in CI that is a failure.
 */
function nativeMissingReason(): string | null {
  const reason = nativeUnavailableReason();
  if (!reason) return null;
  if (process.env.CI) throw new Error(`native backend missing (${reason}): CI must run the native spec`);
  console.warn(`skipping the native backend spec: ${reason}`);
  return reason;
}

/** Per backend: the largest error allowed against the reference (all compute in float32). */
const BACKENDS: { name: string; tolerance: number }[] = [
  { name: 'cpu', tolerance: 1e-4 },
  { name: 'wasm', tolerance: 1e-4 },
  ...(nativeMissingReason() ? [] : [{ name: 'native', tolerance: 1e-4 }]),
  ...(webgpuMissingReason() ? [] : [{ name: 'webgpu', tolerance: 1e-4 }]),
];

let fixtures: SpecFixtures;
beforeAll(async () => {
  fixtures = await nodeSpecFixtures();
});

describe.each(BACKENDS)('the backend spec on $name', ({ name, tolerance }) => {
  const cases = backendSpecCases({ tolerance }, HEADS_FIXTURE_NAMES);
  let results: SpecResult[] = [];

  beforeAll(async () => {
    const info = await useNodeBackend({ prefer: name });
    expect(tf.getBackend()).toBe(info.tfBackend);
    results = await runBackendSpec(cases, fixtures, (r) => process.stderr.write(`[${name}] ${r.name}: ${r.ms} ms, ${r.detail.split("\n")[0]}\n`));
  }, 600_000);

  it.each(cases.map((c) => c.name))('%s', (caseName) => {
    const result = results.find((r) => r.name === caseName);
    // On failure this shows what the case measured.
    expect(result?.ok ? 'ok' : (result?.detail ?? 'not run')).toBe('ok');
  });
});
