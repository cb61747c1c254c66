// Shared Jest settings: tests run from TypeScript sources (no build needed), transformed by
// SWC to CommonJS. Workspace imports are mapped to each package's src/ so a test always
// exercises the current code, and NodeNext-style ".js" suffixes are stripped for the resolver.
// tfjs-core's gradients exist only as ES modules (dist/register_all_gradients.js and the tree it
// imports), so those files are transformed too; everything else in node_modules is left alone.
const path = require('node:path');
const packagesDir = path.join(__dirname, 'packages');

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
    '^@maxpoolbert/([^/]+)$': `${packagesDir}/$1/src/index.ts`,
    '^@maxpoolbert/([^/]+)/(.+)$': `${packagesDir}/$1/src/$2`,
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testTimeout: 120000,
};
