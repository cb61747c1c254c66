// Jest runs tests as CommonJS, and the `webgpu` package is ESM only (it needs import.meta.url to
// find its addon). Tests load the same Dawn addon through this shim; real programs import the
// package itself. Keep in step with node_modules/webgpu/index.js.
const path = require('node:path');
const pkgDir = path.dirname(require.resolve('webgpu/package.json'));
const arch = process.platform === 'darwin' ? 'universal' : process.arch;
module.exports = require(path.join(pkgDir, 'dist', `${process.platform}-${arch}`, 'dawn.node'));
