// tfjs-core 4.x ships its gradient definitions only as extensionless ES modules
// (dist/register_all_gradients.js and the ops it imports), which bundlers read but Node cannot.
// @tensorflow/tfjs bundles them into its own build; we do the same for core's dist, so that
// `tf.grad` works in Node and in browsers without depending on the whole tfjs umbrella. The
// bundled ops find the one tfjs engine through tfjs's global namespace, as the umbrella's do.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const entry = require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js');
const outfile = fileURLToPath(new URL('../dist/vendor/tfjs-gradients.js', import.meta.url));

await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2020',
  minify: true,
  legalComments: 'inline',
  logLevel: 'warning',
});
