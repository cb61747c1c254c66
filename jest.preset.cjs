// Shared Jest settings: tests run from TypeScript sources (no build needed), transformed by
// SWC to CommonJS. Workspace imports are mapped to each package's src/ so a test always
// exercises the current code, and NodeNext-style ".js" suffixes are stripped for the resolver.
// tfjs-core's gradients exist only as ES modules (dist/register_all_gradients.js and the tree it
// imports), so those files are transformed too; everything else in node_modules is left alone.
const path = require('node:path');
const packagesDir = path.join(__dirname, 'packages');

// WebGPU tests in Node run Dawn on SwiftShader (Vulkan on the CPU) when the machine has no GPU.
// Set here, in the process that starts the workers: a test file's process.env is a sandboxed
// copy that Vulkan's loader never sees.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && require('node:fs').existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;

module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transformIgnorePatterns: ['/node_modules/(?!@tensorflow/tfjs-core/dist/(?!tf-core\\.))'],
  transform: {
    '^.+\\.(ts|js)$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  moduleNameMapper: {
    // core's build bundles tfjs-core's gradient modules into dist/vendor; tests use the originals.
    '/vendor/tfjs-gradients\\.js$': '@tensorflow/tfjs-core/dist/register_all_gradients.js',
    // `webgpu` (Dawn for Node) is ESM only; tests load its addon through a CommonJS shim.
    '^webgpu$': path.join(__dirname, 'testing', 'webgpu-cjs-shim.cjs'),
    '^@maxpoolbert/([^/]+)$': `${packagesDir}/$1/src/index.ts`,
    '^@maxpoolbert/([^/]+)/(.+)$': `${packagesDir}/$1/src/$2`,
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testTimeout: 120000,
};
